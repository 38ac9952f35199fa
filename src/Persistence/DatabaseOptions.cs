using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace EventSeries.Persistence;

/// <summary>
/// Which PostgreSQL the process uses: <c>ConnectionStrings:EventSeries</c> (env
/// <c>ConnectionStrings__EventSeries</c>). Required, no default: a production host provisions no
/// database and refuses to start without one (<c>./run.sh</c> starts a private server for
/// development and passes its connection string in).
/// </summary>
public sealed class DatabaseOptions
{
    /// <summary>The configuration section holding the connection string.</summary>
    public const string Section = "ConnectionStrings";

    /// <summary>The ADO.NET invariant of Npgsql, for the Orleans providers (they default to SQL Server's).</summary>
    public const string Invariant = "Npgsql";

    /// <summary>The full configuration key, for messages.</summary>
    public const string Key = Section + ":" + Name;

    private const string Name = "EventSeries";

    /// <summary>An Npgsql connection string (it may hold a password: never log it). No default.</summary>
    [ConfigurationKeyName(Name)]
    [Required(ErrorMessage = Key + " is not set: give the PostgreSQL connection string (env ConnectionStrings__EventSeries, or --" + Key + "), or start through ./run.sh, which provides a private server.")]
    public string? ConnectionString { get; set; }
}
