using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventSeries.Tests.Infrastructure;

/// <summary>
/// What a test silo does on a fatal error (such as learning that the cluster voted it dead):
/// stop its own host, as Orleans' own test hosts do. Orleans' default ends the process with
/// <c>Environment.FailFast</c>, which in a test run would kill every test at once. With probe
/// timeouts of one second (src/Silo/Hosting/SiloFailureDetection.cs) a silo starved of CPU on a
/// loaded machine can be voted dead; the test that owns it then fails, and only that test.
/// </summary>
public sealed class StopSiloOnFatalError(IHostApplicationLifetime lifetime, ILogger<StopSiloOnFatalError> logger) : Orleans.Runtime.IFatalErrorHandler
{
    public bool IsUnexpected(Exception exception) => true;

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
    {
        logger.LogError(exception, "Fatal error from {Sender} ({Context}): this test silo stops; the test process goes on.", sender, context);
        Console.Error.WriteLine($"Test silo fatal error from {sender} ({context}): {exception?.Message}");
        lifetime.StopApplication();
    }
}
