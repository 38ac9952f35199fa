using Microsoft.Extensions.FileProviders;

namespace EventSeries.Api.Hosting;

/// <summary>
/// Serves the browser console and the scanner page (web/, built by scripts/build-web.sh into
/// web/dist) at /: its files, and index.html for the console's own routes (/scanner, /series/…).
/// The API's paths are never answered with the page, so a typo under /api stays a 404 problem.
/// </summary>
public static class ConsoleHosting
{
    /// <summary>The folder of the built console; relative paths are against the content root (run.sh: the repository).</summary>
    public const string RootKey = "EventSeries:Console:Root";

    public const string DefaultRoot = "web/dist";

    // Scripts, styles and connections only from this origin: a token in sessionStorage is only as safe
    // as the scripts that can read it. data: images are the device enrolment QR code.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The console's files (before routing's endpoints run; an endpoint that matched is never shadowed).</summary>
    public static WebApplication UseEventSeriesConsole(this WebApplication app)
    {
        var root = ResolveRoot(app);
        if (Directory.Exists(root))
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(root),
                OnPrepareResponse = context =>
                {
                    AddSecurityHeaders(context.Context.Response);

                    // Vite names built assets by content hash: they never change under their name.
                    if (context.Context.Request.Path.StartsWithSegments("/assets"))
                    {
                        context.Context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                    }
                },
            });
        }

        return app;
    }

    /// <summary>
    /// The console's client-side routes (web/src/console/app.ts, web/src/scanner): each answers index.html.
    /// Only these, not a catch-all: a catch-all would also answer paths that middleware after the
    /// endpoints (or a typo under /api) should answer.
    /// </summary>
    public static readonly string[] ClientRoutes = ["/", "/scanner", "/audit", "/members", "/cluster", "/events/{**rest}", "/series/{**rest}"];

    /// <summary>index.html for the console's client-side routes; 503 problem details when the console is not built.</summary>
    public static WebApplication MapEventSeriesConsole(this WebApplication app)
    {
        var index = Path.Combine(ResolveRoot(app), "index.html");
        foreach (var route in ClientRoutes)
        {
            app.MapGet(route, (HttpContext context) => IndexPage(context, index)).ExcludeFromDescription();
        }

        return app;
    }

    private static IResult IndexPage(HttpContext context, string index)
    {
        if (!File.Exists(index))
        {
            return Results.Problem(
                title: "The console is not built",
                detail: $"No {index}: run scripts/build-web.sh (./run.sh does), or set {RootKey} to the built web/dist folder, then restart this process (its files are found at start).",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                extensions: new Dictionary<string, object?> { ["code"] = "console_not_built" });
        }

        AddSecurityHeaders(context.Response);
        context.Response.Headers.CacheControl = "no-cache";
        return Results.File(index, "text/html; charset=utf-8");
    }

    private static string ResolveRoot(WebApplication app) =>
        Path.GetFullPath(app.Configuration[RootKey] ?? DefaultRoot, app.Environment.ContentRootPath);

    private static void AddSecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XFrameOptions = "DENY";
    }
}
