using System.Text.Json;

namespace EventSeries.Tests.Api;

/// <summary>
/// The OpenAPI document declares the problem responses each operation can answer, so generated
/// clients know them: what every /api call can meet (401, 403, 429, 503), 404 on routes with an id,
/// 400 and 413 where a body is read, 409 where the domain refuses a change for the current state.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class OpenApiContractTests(ApiFixture fixture)
{
    private const string ProblemJson = "application/problem+json";

    /// <summary>Operations a <c>DomainException.Conflict</c> (in the grains, stores or handlers) can refuse.</summary>
    private static readonly HashSet<string> CanConflict =
    [
        "AddMember", "ChangeMemberRole", "RemoveMember",
        "DeleteEvent", "CreateGate", "UpdateGate", "RegisterWristbands",
        "CreateSeries", "UpdateSeries", "DeleteSeries", "TransitionSeries", "CreateRecurringSeries", "GenerateSeriesInstances",
        "AssignSeriesGates", "RemoveSeriesGate", "SetSeriesCategoryLimits", "AssignSeriesWristband", "BulkAssignSeriesWristbands", "AssignAllSeriesWristbands",
        "UnassignSeriesWristband",
        "Scan", "VerifyCheckin", "AnnulCheckin",
        "CreateTicket", "UpdateTicket", "VoidTicket", "ExchangeTicket",
        "CreateIntegrationSecret", "ReceivePaymentEvent", "ReceiveCrmEvent", "ReceiveTicketEvent",
        "CreateWebhook", "RotateWebhookSecret",
    ];

    /// <summary>Webhook deliveries: no bearer token, so no 403 (a signature instead: 401), and no 404.</summary>
    private static readonly HashSet<string> Signed = ["ReceivePaymentEvent", "ReceiveCrmEvent", "ReceiveTicketEvent"];

    [Fact]
    public async Task EveryApiOperation_DeclaresTheProblemsEveryCallCanMeet()
    {
        var operations = await ApiOperationsAsync();

        Assert.NotEmpty(operations);
        foreach (var op in operations)
        {
            foreach (var status in new[] { "401", "403", "429", "503" }.Where(s => s != "403" || !Signed.Contains(op.Id)))
            {
                AssertProblem(op, status);
            }
        }
    }

    [Fact]
    public async Task OperationsWithAnId_Declare404_AndOperationsWithABody_Declare400And413()
    {
        var operations = await ApiOperationsAsync();

        // A delivery for an unknown organization is 401 (nothing tells which exist), and one naming an
        // unknown ticket 422: deliveries never answer 404.
        foreach (var op in operations.Where(o => o.Path.Contains('{', StringComparison.Ordinal) && !Signed.Contains(o.Id)))
        {
            AssertProblem(op, "404");
        }

        var withBody = operations.Where(o => o.Method is "post" or "put" && o.Operation.TryGetProperty("requestBody", out _)).ToList();
        Assert.Contains(withBody, o => o.Id == "CreateSeries");
        foreach (var op in withBody)
        {
            AssertProblem(op, "400");
            AssertProblem(op, "413");
        }

        // Declared where they can happen, not everywhere: no id, no body, no query string, no 400 or 404.
        var listOrganizations = operations.Single(o => o.Id == "ListOrganizations");
        Assert.False(listOrganizations.Responses.TryGetProperty("400", out _), "ListOrganizations reads no input");
        Assert.False(listOrganizations.Responses.TryGetProperty("404", out _), "ListOrganizations names no resource");
        Assert.False(operations.Single(o => o.Id == "GetSeries").Responses.TryGetProperty("400", out _), "GetSeries reads only its route");
        AssertProblem(operations.Single(o => o.Id == "ListSeries"), "400");
    }

    [Fact]
    public async Task OperationsThatCanConflict_Declare409_AndNoReadDoes()
    {
        var operations = await ApiOperationsAsync();

        Assert.Empty(CanConflict.Except(operations.Select(o => o.Id)));
        foreach (var op in operations)
        {
            if (CanConflict.Contains(op.Id))
            {
                AssertProblem(op, "409");
            }
            else
            {
                Assert.False(op.Responses.TryGetProperty("409", out _), $"{op}: declares 409 but nothing there can conflict");
            }
        }
    }

    private static void AssertProblem(ApiOperation op, string status)
    {
        Assert.True(op.Responses.TryGetProperty(status, out var response), $"{op}: no {status} response declared");
        Assert.True(
            response.TryGetProperty("content", out var content) && content.TryGetProperty(ProblemJson, out _),
            $"{op}: {status} is not declared as {ProblemJson}");
    }

    private async Task<List<ApiOperation>> ApiOperationsAsync()
    {
        using var client = fixture.Host.Client();
        var text = await (await client.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var paths = JsonDocument.Parse(text).RootElement.GetProperty("paths");
        return
        [
            .. from path in paths.EnumerateObject()
               where path.Name.StartsWith("/api/", StringComparison.Ordinal) || path.Name == "/api"
               from method in path.Value.EnumerateObject()
               where method.Name is "get" or "post" or "put" or "delete" or "patch"
               select new ApiOperation(path.Name, method.Name, method.Value),
        ];
    }

    private sealed record ApiOperation(string Path, string Method, JsonElement Operation)
    {
        public string Id => Operation.TryGetProperty("operationId", out var id) ? id.GetString() ?? "" : "";

        public JsonElement Responses => Operation.GetProperty("responses");

        public override string ToString() => $"{Method.ToUpperInvariant()} {Path} ({Id})";
    }
}
