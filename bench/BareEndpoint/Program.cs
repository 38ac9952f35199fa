// The ceiling for the scan benchmark: the same route and JSON as POST /api/events/{eventId}/scans,
// parsed and answered with a verdict of the same shape, and nothing else (no auth, no grain, no
// database). What EventSeries does per scan is the difference.
using System.Text.Json;
using System.Text.Json.Serialization;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, BareJson.Default));
var app = builder.Build();
app.MapPost("/api/events/{eventId:guid}/scans", (Guid eventId, ScanBody body) =>
    TypedResults.Ok(new Verdict(true, "ok", null, "Welcome", eventId, Guid.NewGuid(), body.NfcId ?? "", "general", body.GateId ?? Guid.Empty,
        body.Direction ?? "in", Guid.NewGuid(), DateTimeOffset.UtcNow)));

// The ceiling for the import benchmark: the same upload, read to the end and its lines counted.
app.MapPost("/sink", async (HttpRequest request) =>
{
    request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize = null;
    var buffer = new byte[64 * 1024];
    long lines = 0;
    int read;
    while ((read = await request.Body.ReadAsync(buffer)) > 0)
    {
        lines += buffer.AsSpan(0, read).Count((byte)'\n');
    }

    return TypedResults.Ok(lines);
});
app.Run();

internal sealed record ScanBody(string? NfcId, Guid? GateId, string? Direction, Guid? ScanId, DateTimeOffset? ScannedAt);

internal sealed record Verdict(
    bool Allowed, string Reason, string? Detail, string Message, Guid? SeriesId, Guid? WristbandId, string NfcId, string? Category,
    Guid GateId, string Direction, Guid CheckinId, DateTimeOffset At);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ScanBody))]
[JsonSerializable(typeof(Verdict))]
internal sealed partial class BareJson : JsonSerializerContext;
