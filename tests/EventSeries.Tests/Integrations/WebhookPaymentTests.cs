using System.Net;
using System.Text.Json;
using EventSeries.CheckIns;
using EventSeries.Tickets;

namespace EventSeries.Tests.Integrations;

/// <summary>
/// Payment events set the ticket's status and so its wristband's access, at the next scan; they are
/// audited with the integration as the actor, and out-of-order events cannot undo a refund.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class WebhookPaymentTests(ApiFixture fixture)
{
    [Fact]
    public async Task PaidThenRefunded_AdmitsThenDeniesThePairedBand_AndIsAuditedWithTheIntegrationAsActor()
    {
        using var w = await WebhookWorld.CreateAsync(fixture);
        await w.Owner.PutOkAsync<TicketView>($"/api/tickets/{w.Ticket.Id}", new
        {
            externalId = w.Ticket.ExternalId, source = w.Ticket.Source, ticketType = "general", seriesIds = new[] { w.Gates.Series.Id }, status = "pending",
        });
        Assert.Equal((ScanReasons.TicketVoid, "pending"), Reason(await w.Gates.ScanAsync(w.Band.NfcId)));

        var now = fixture.Clock.GetUtcNow();
        var paid = await w.Payments.SendOkAsync(w.Payment("payment.paid", now.AddSeconds(-30), "pi_1"));
        Assert.Equal(("changed", "valid"), (paid.GetProperty("outcome").GetString(), paid.GetProperty("status").GetString()));
        Assert.True((await w.Gates.ScanAsync(w.Band.NfcId)).Allowed);
        Assert.True((await w.Gates.ScanAsync(w.Band.NfcId, direction: "out")).Allowed);

        var refunded = await w.Payments.SendOkAsync(w.Payment("payment.refunded", now.AddSeconds(-10), "re_1"));
        Assert.Equal("refunded", refunded.GetProperty("status").GetString());

        // The very next scan, nothing waited for: the ticket's grain told the band's access grain.
        Assert.Equal((ScanReasons.TicketVoid, "refunded"), Reason(await w.Gates.ScanAsync(w.Band.NfcId)));
        var audit = await AuditAsync(w, "ticket.payment");
        Assert.Equal(2, audit.Count);
        Assert.All(audit, a => Assert.Equal(("integration:payments", true), (a.Actor, a.ActorUserIdIsNull)));
        Assert.Contains("re_1", audit[0].After, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("payment.charged_back", "void")]
    [InlineData("payment.failed", "pending")]
    public async Task AChargebackOrAFailedPayment_TakesTheBandsAccessAway(string type, string status)
    {
        using var w = await WebhookWorld.CreateAsync(fixture);
        Assert.True((await w.Gates.ScanAsync(w.Band.NfcId)).Allowed);

        var answer = await w.Payments.SendOkAsync(w.Payment(type, fixture.Clock.GetUtcNow()));

        Assert.Equal(status, answer.GetProperty("status").GetString());
        Assert.Equal((ScanReasons.TicketVoid, status), Reason(await w.Gates.ScanAsync(w.Band.NfcId, direction: "out")));
    }

    [Fact]
    public async Task ARefundArrivingBeforeThePayment_IsNotUndoneByTheLatePayment()
    {
        using var w = await WebhookWorld.CreateAsync(fixture);
        var now = fixture.Clock.GetUtcNow();

        await w.Payments.SendOkAsync(w.Payment("payment.refunded", now.AddSeconds(-5)));
        var late = await w.Payments.SendOkAsync(w.Payment("payment.paid", now.AddSeconds(-60)));

        Assert.Equal((false, "final", "refunded"), (late.GetProperty("applied").GetBoolean(), late.GetProperty("outcome").GetString(), late.GetProperty("status").GetString()));
        Assert.Equal(TicketStatus.Refunded, (await w.ReloadTicketAsync()).Status);
        Assert.Equal(ScanReasons.TicketVoid, (await w.Gates.ScanAsync(w.Band.NfcId)).Reason);
        Assert.Single(await AuditAsync(w, "ticket.payment"));
    }

    [Fact]
    public async Task AnOlderFailureArrivingAfterAPayment_IsIgnoredAsStale()
    {
        using var w = await WebhookWorld.CreateAsync(fixture);
        var now = fixture.Clock.GetUtcNow();

        await w.Payments.SendOkAsync(w.Payment("payment.paid", now.AddSeconds(-5)));
        var stale = await w.Payments.SendOkAsync(w.Payment("payment.failed", now.AddSeconds(-50)));

        Assert.Equal((false, "stale"), (stale.GetProperty("applied").GetBoolean(), stale.GetProperty("outcome").GetString()));
        Assert.Equal(TicketStatus.Valid, (await w.ReloadTicketAsync()).Status);
        Assert.True((await w.Gates.ScanAsync(w.Band.NfcId)).Allowed);
    }

    [Fact]
    public async Task AnUnknownTicket_Is422_AndTheRepeatGetsTheSameAnswer_AndNothingChanges()
    {
        using var w = await WebhookWorld.CreateAsync(fixture);
        var before = await Db.FingerprintAsync(fixture.ConnectionString);
        var body = WebhookSender.Body("payment.refunded", new { source = "shop", externalId = "NO-SUCH-ORDER" }, fixture.Clock.GetUtcNow());

        var first = await w.Payments.SendAsync(body, id: "msg_unknown_1");
        var problem = await ApiClient.ProblemAsync(first, HttpStatusCode.UnprocessableEntity, "unknown_ticket");
        var repeat = await w.Payments.SendAsync(body, id: "msg_unknown_1");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, repeat.StatusCode);
        Assert.Equal(problem.GetRawText(), await repeat.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }

    [Fact]
    public async Task ADeliverySignedByOneOrganization_NamingAnothersTicket_ChangesNothing()
    {
        using var mine = await WebhookWorld.CreateAsync(fixture, "Org A");
        using var theirs = await WebhookWorld.CreateAsync(fixture, "Org B");
        var before = await Db.FingerprintAsync(fixture.ConnectionString);
        var now = fixture.Clock.GetUtcNow();

        // By their ticket's id, and by its source and external id: neither is found from org A.
        await ApiClient.ProblemAsync(
            await mine.Payments.SendAsync(WebhookSender.Body("payment.refunded", new { ticketId = theirs.Ticket.Id }, now)), HttpStatusCode.UnprocessableEntity, "unknown_ticket");
        await ApiClient.ProblemAsync(await mine.Payments.SendAsync(theirs.Payment("payment.refunded", now)), HttpStatusCode.UnprocessableEntity, "unknown_ticket");

        // Org B's path with org A's secret is no signature at all.
        using var forged = new WebhookSender(fixture.Host.BaseAddress, theirs.Tenant.OrganizationId, "payments", mine.Payments.Secret, fixture.Clock);
        await ApiClient.ProblemAsync(await forged.SendAsync(theirs.Payment("payment.refunded", now)), HttpStatusCode.Unauthorized, "signature_invalid");

        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
        Assert.True((await theirs.Gates.ScanAsync(theirs.Band.NfcId)).Allowed);
    }

    private static (string? Reason, string? Detail) Reason(ScanVerdict verdict) => (verdict.Reason, verdict.Detail);

    private async Task<List<(string Actor, bool ActorUserIdIsNull, string After)>> AuditAsync(WebhookWorld w, string action)
    {
        var page = await w.Owner.GetOkAsync<JsonElement>($"/api/audit?organizationId={w.Tenant.OrganizationId}&action={action}&targetId={w.Ticket.Id}");
        return [.. page.GetProperty("items").EnumerateArray().Select(e => (
            e.GetProperty("actor").GetString()!, e.GetProperty("actorUserId").ValueKind == JsonValueKind.Null, e.GetProperty("after").GetRawText()))];
    }
}
