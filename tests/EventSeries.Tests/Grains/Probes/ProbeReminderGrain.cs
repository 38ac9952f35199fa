using Orleans.Runtime;

namespace EventSeries.Tests.Grains.Probes;

[GrainType("test-probe-reminder")]
public sealed class ProbeReminderGrain : Grain, IProbeReminderGrain, IRemindable
{
    public Task RegisterAsync(string name, TimeSpan period) => this.RegisterOrUpdateReminder(name, period, period);

    public async Task<bool> ExistsAsync(string name) => await this.GetReminder(name) is not null;

    public async Task UnregisterAsync(string name)
    {
        var reminder = await this.GetReminder(name) ?? throw new InvalidOperationException($"No reminder {name}.");
        await this.UnregisterReminder(reminder);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
