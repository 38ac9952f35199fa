namespace EventSeries.Api.Scans;

public sealed partial class ScanRetry
{
    [LoggerMessage(1, LogLevel.Information, "Scan {ScanId}: attempt {Attempt} met a transient fault ({Fault}); retrying with the same scanId in {DelayMs:0} ms.")]
    private static partial void LogRetrying(ILogger logger, Guid? scanId, int attempt, string fault, double delayMs);

    [LoggerMessage(2, LogLevel.Warning, "Scan {ScanId}: attempt {Attempt} met a transient fault ({Fault}) and no retry fits before the deadline; answering 503.")]
    private static partial void LogGivingUp(ILogger logger, Guid? scanId, int attempt, string fault);

    [LoggerMessage(3, LogLevel.Warning, "Scan {ScanId}: no answer within the {DeadlineMs:0} ms deadline (attempt {Attempt}); answering 503.")]
    private static partial void LogDeadlinePassed(ILogger logger, Guid? scanId, int attempt, double deadlineMs);
}
