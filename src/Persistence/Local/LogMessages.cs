using Microsoft.Extensions.Logging;

namespace EventSeries.Persistence.Local;

internal static partial class LogMessages
{
    [LoggerMessage(Level = LogLevel.Information, Message = "No connection string configured: using the private PostgreSQL in {Directory} on port {Port}.")]
    public static partial void UsingLocalPostgres(ILogger logger, string directory, int port);
}
