using Microsoft.Extensions.Logging;

namespace EventSeries.Persistence.Local;

internal static partial class LocalPostgresLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Initialised a new PostgreSQL data folder in {Directory}.")]
    public static partial void Initialized(ILogger logger, string directory);
}
