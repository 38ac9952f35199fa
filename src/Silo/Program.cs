using EventSeries.Api.Hosting;
using EventSeries.Silo.Hosting;

namespace EventSeries.Silo;

/// <summary>
/// <c>EventSeries.Silo</c>: a silo serving the HTTP API (the default), or a one-shot
/// <c>migrate</c> / <c>bootstrap</c> / <c>activations</c> / <c>reencrypt-secrets</c> command. It provisions no database: <c>ConnectionStrings:EventSeries</c>
/// is required (<c>./run.sh</c> starts a private server for development and passes it in).
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) => args.FirstOrDefault() switch
    {
        "migrate" => HostRunner.GuardAsync(() => Commands.MigrateAsync(args[1..]), Console.Error),
        "bootstrap" => HostRunner.GuardAsync(() => Commands.BootstrapAsync(args[1..]), Console.Error),
        "activations" => HostRunner.GuardAsync(() => ActivationsCommand.RunAsync(args[1..]), Console.Error),
        "reencrypt-secrets" => HostRunner.GuardAsync(() => ReencryptSecretsCommand.RunAsync(args[1..]), Console.Error),
        _ => HostRunner.RunAsync(() => SiloHost.Build(args), Console.Error),
    };
}
