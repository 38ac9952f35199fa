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
app.Run();

internal sealed record ScanBody(string? NfcId, Guid? GateId, string? Direction, Guid? ScanId, DateTimeOffset? ScannedAt);

internal sealed record Verdict(
    bool Allowed, string Reason, string? Detail, string Message, Guid? SeriesId, Guid? WristbandId, string NfcId, string? Category,
    Guid GateId, string Direction, Guid CheckinId, DateTimeOffset At);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ScanBody))]
[JsonSerializable(typeof(Verdict))]
internal sealed partial class BareJson : JsonSerializerContext;
