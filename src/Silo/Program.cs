using EventSeries.Silo.Hosting;

namespace EventSeries.Silo;

/// <summary>
/// <c>EventSeries.Silo</c>: a silo serving the HTTP API (the default), or a one-shot
/// <c>migrate</c> / <c>bootstrap</c> command.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "migrate":
                return await Commands.MigrateAsync(args[1..]);
            case "bootstrap":
                return await Commands.BootstrapAsync(args[1..]);
            default:
                await using (var host = await SiloHost.BuildAsync(args))
                {
                    await host.App.RunAsync();
                }

                return 0;
        }
    }
}
