using System.ComponentModel.DataAnnotations;
using System.Net;

namespace EventSeries.LocalDatabase;

/// <summary>
/// The launcher's private server (section <c>EventSeries:LocalPostgres</c>, e.g. env
/// <c>EventSeries__LocalPostgres__Port</c>). Its data folder is the launcher's first argument.
/// </summary>
public sealed class LocalPostgresOptions
{
    public const string Section = "EventSeries:LocalPostgres";

    /// <summary>The port on 127.0.0.1 a new server listens on. Default 55432; a server already running keeps its own.</summary>
    [Range(1, IPEndPoint.MaxPort, ErrorMessage = Section + ":Port must be a port number from {1} to {2}.")]
    public int Port { get; set; } = 55432;

    /// <summary>The database created (when missing) and named in the connection string. Default <c>eventseries</c>.</summary>
    [Required(ErrorMessage = Section + ":Database must not be empty.")]
    public string Database { get; set; } = "eventseries";
}
