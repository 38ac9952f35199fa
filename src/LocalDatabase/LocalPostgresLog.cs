using Microsoft.Extensions.Logging;

namespace EventSeries.LocalDatabase;

internal static partial class LocalPostgresLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Initialised a new PostgreSQL data folder in {Directory}.")]
    public static partial void Initialized(ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL in {Directory} trusted every local connection; it now asks for the password kept in {PasswordFile}.")]
    public static partial void PasswordEnforced(ILogger logger, string directory, string passwordFile);
}
