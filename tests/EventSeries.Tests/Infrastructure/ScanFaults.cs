using System.Reflection;
using EventSeries.CheckIns;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace EventSeries.Tests.Infrastructure;

/// <summary>
/// A grain call filter that makes <see cref="IWristbandAccessGrain.ScanAsync"/> fail the way a
/// cluster fault does, before the grain ran (nothing logged) or after (the row committed, the
/// answer lost), or never answer (a frozen silo), and counts the attempts that reached the grain.
/// Registered through <see cref="ApiHost.StartAsync"/>'s services callback, so it runs first.
/// </summary>
public sealed class ScanFaults : IIncomingGrainCallFilter
{
    private readonly Lock _lock = new();
    private Func<Exception>? _fault;
    private int _failures;
    private bool _afterTheGrainRan;
    private TaskCompletionSource? _hang;
    private int _attempts;

    /// <summary>Scan calls that reached the wristband's grain since the last arming.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>The fault names <see cref="Make"/> knows: everything a caller meets while a silo is killed, frozen or overloaded.</summary>
    public static readonly string[] ClusterFaults =
    [
        "rejection", "silo-unavailable", "connection-failed", "gateway-too-busy", "timeout", "orleans-wrapping-rejection", "orleans-wrapping-connection-failure",
    ];

    /// <summary>The first <paramref name="count"/> scan calls throw <paramref name="fault"/>; later ones pass.</summary>
    public void FailFirst(int count, string fault, bool afterTheGrainRan = false)
    {
        lock (_lock)
        {
            Release();
            _fault = () => Make(fault);
            _failures = count;
            _afterTheGrainRan = afterTheGrainRan;
            _attempts = 0;
        }
    }

    public void FailAlways(string fault) => FailFirst(int.MaxValue, fault);

    /// <summary>Scan calls wait, holding the grain, until <see cref="Reset"/>.</summary>
    public void Hang()
    {
        lock (_lock)
        {
            Release();
            _fault = null;
            _hang = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _attempts = 0;
        }
    }

    /// <summary>Lets every call through again (a hung one goes on to the grain).</summary>
    public void Reset()
    {
        lock (_lock)
        {
            Release();
            _fault = null;
        }
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType != typeof(IWristbandAccessGrain) || context.InterfaceMethod.Name != nameof(IWristbandAccessGrain.ScanAsync))
        {
            await context.Invoke();
            return;
        }

        Func<Exception>? fault;
        bool after;
        Task? hang;
        lock (_lock)
        {
            var attempt = ++_attempts;
            fault = attempt <= _failures ? _fault : null;
            after = _afterTheGrainRan;
            hang = _hang?.Task;
        }

        if (hang is not null)
        {
            await hang;
        }

        if (fault is not null && !after)
        {
            throw fault();
        }

        await context.Invoke();
        if (fault is not null)
        {
            throw fault();
        }
    }

    /// <summary>An exception as Orleans (or the silo's error filter) raises it.</summary>
    public static Exception Make(string fault) => fault switch
    {
        // A killed silo's refused connection, as the caller sees it (its constructors are internal).
        "rejection" => Rejection("Injected: the target silo refused the connection.", new ConnectionFailedException("Connection refused")),
        "silo-unavailable" => new SiloUnavailableException("Injected: the target silo was declared dead."),
        "connection-failed" => new ConnectionFailedException("Injected: connection to the silo failed."),
        "gateway-too-busy" => new GatewayTooBusyException("Injected: the gateway sheds load."),
        "timeout" => new TimeoutException("Injected: response did not arrive on time."),
        "orleans-wrapping-rejection" => new OrleansException("Injected: wrapped.", new SiloUnavailableException("dead")),
        "orleans-wrapping-connection-failure" => new OrleansException("Injected: wrapped.", new ConnectionFailedException("reset")),
        "unavailable" => DomainException.Unavailable("Injected: the database did not answer."),
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, "No such fault."),
    };

    private static Exception Rejection(string message, Exception inner) =>
        (Exception)Activator.CreateInstance(
            typeof(OrleansMessageRejectionException), BindingFlags.NonPublic | BindingFlags.Instance, null, [message, inner], null)!;

    private void Release()
    {
        _hang?.TrySetResult();
        _hang = null;
        _failures = 0;
    }
}
