namespace EventSeries.Tests.Infrastructure;

/// <summary>
/// Holds every grain call that <see cref="Holds"/> picks until <see cref="Thaw"/>, then lets it run,
/// as a frozen silo does with the calls to its grains. Nothing is held while <see cref="Holds"/> is null.
/// </summary>
public sealed class HeldGrainCalls : IIncomingGrainCallFilter
{
    private readonly TaskCompletionSource _thaw = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;

    public volatile Func<IIncomingGrainCallContext, bool>? Holds;

    /// <summary>How many calls were held.</summary>
    public int Held => Volatile.Read(ref _held);

    public void Thaw() => _thaw.TrySetResult();

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (Holds is { } holds && !_thaw.Task.IsCompleted && holds(context))
        {
            Interlocked.Increment(ref _held);
            await _thaw.Task;
        }

        await context.Invoke();
    }
}
