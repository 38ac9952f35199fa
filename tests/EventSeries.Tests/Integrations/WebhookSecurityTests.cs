using System.Net;
using System.Text;
using System.Text.Json;
using EventSeries.Tickets;

namespace EventSeries.Tests.Integrations;

/// <summary>
/// The signature is the authentication: a wrong, revoked or expired secret, a stale timestamp or a
/// repeated delivery id changes nothing; secrets are kept encrypted and shown only once.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class WebhookSecurityTests(ApiFixture fixture)
{
    [Fact]
    public async Task ARepeatedDelivery_AnswersAsTheFirstDid_AndChangesNothing()
    {
        using var w = await WebhookWorld.CreateAsync(fixture);
        var body = w.Payment("payment.refunded", fixture.Clock.GetUtcNow());
        var first = await w.Payments.SendAsync(body, id: "msg_repeat");
        var firstText = await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var before = await Db.FingerprintAsync(fixture.ConnectionString);

        // Sent again a minute later (a new timestamp and signature, as a sender's retry has).
        await fixture.AdvanceAsync(TimeSpan.FromMinutes(1));
        var repeat = await w.Payments.SendAsync(body, id: "msg_repeat");

        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(firstText, await repeat.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));

        // The same id with another body is not answered as the first: refused, nothing changes.
        await ApiClient.ProblemAsync(await w.Payments.SendAsync(w.Payment("payment.paid", fixture.Clock.GetUtcNow()), id: "msg_repeat"), HttpStatusCode.Conflict, "delivery_id_reused");
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
    }

    [Fact]
    public async Task IdenticalDeliveriesAtOnce_ApplyOnce()
    {
        using var w = await WebhookWorld.CreateAsync(fixture);
        var body = w.Payment("payment.charged_back", fixture.Clock.GetUtcNow());

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => w.Payments.SendAsync(body, id: "msg_concurrent")));

        // One applied it; each other got its answer, or was told to ask again in a moment.
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, a.StatusCode.ToString()));
        Assert.Equal(1, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM audit_log WHERE action = 'ticket.payment' AND target_id = @id", ("id", w.Ticket.Id.ToString())));
        Assert.Equal(1, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM integration_deliveries WHERE organization_id = @org AND delivery_id = 'msg_concurrent'", ("org", w.Tenant.OrganizationId)));
    }

    [Theory]
    [InlineData(-6)]
    [InlineData(6)]
    public async Task ATimestampMoreThanFiveMinutesAway_Is401_AndChangesNothing(int minutes)
    {
        using var w = await WebhookWorld.CreateAsync(fixture);
        var before = await Db.FingerprintAsync(fixture.ConnectionString);
        var body = w.Payment("payment.refunded", fixture.Clock.GetUtcNow());

        await ApiClient.ProblemAsync(
            await w.Payments.SendAsync(body, id: "msg_stale", sentAt: fixture.Clock.GetUtcNow().AddMinutes(minutes)), HttpStatusCode.Unauthorized, "timestamp_out_of_tolerance");

        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));

        // Nothing was recorded under the id: the genuine delivery still goes through.
        Assert.Equal(HttpStatusCode.OK, (await w.Payments.SendAsync(body, id: "msg_stale")).StatusCode);
    }

    [Fact]
    public async Task AWrongSecret_AMissingSignature_AndATamperedBody_Are401_AndChangeNothing()
    {
        using var w = await WebhookWorld.CreateAsync(fixture);
        var before = await Db.FingerprintAsync(fixture.ConnectionString);
        var body = w.Payment("payment.refunded", fixture.Clock.GetUtcNow());

        var wrong = "whsec_" + Convert.ToBase64String(new byte[32]);
        await ApiClient.ProblemAsync(await w.Payments.SendAsync(body, signWith: wrong), HttpStatusCode.Unauthorized, "signature_invalid");

        // The CRM's secret does not sign payments.
        await ApiClient.ProblemAsync(await w.Payments.SendAsync(body, signWith: w.Crm.Secret), HttpStatusCode.Unauthorized, "signature_invalid");

        // Signed for one body, sent with another.
        using var http = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        var ts = fixture.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var tampered = new HttpRequestMessage(HttpMethod.Post, $"/api/integrations/{w.Tenant.OrganizationId}/payments")
        {
            Content = new StringContent(body.Replace("refunded", "paid", StringComparison.Ordinal), Encoding.UTF8, "application/json"),
        };
        tampered.Headers.Add("webhook-id", "msg_tampered");
        tampered.Headers.Add("webhook-timestamp", ts);
        tampered.Headers.Add("webhook-signature", WebhookSender.Sign(w.Payments.Secret, "msg_tampered", ts, body));
        await ApiClient.ProblemAsync(await http.SendAsync(tampered, TestContext.Current.CancellationToken), HttpStatusCode.Unauthorized, "signature_invalid");

        var unsigned = await http.PostAsync($"/api/integrations/{w.Tenant.OrganizationId}/payments", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        await ApiClient.ProblemAsync(unsigned, HttpStatusCode.Unauthorized, "signature_missing");

        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
        Assert.Equal(0, await Db.CountAsync(fixture.ConnectionString, "SELECT count(*) FROM integration_deliveries WHERE organization_id = @org", ("org", w.Tenant.OrganizationId)));
    }

    [Fact]
    public async Task ARotatedSecret_IsAcceptedForItsGracePeriod_ARevokedOneAtOnceNoMore()
    {
        using var w = await WebhookWorld.CreateAsync(fixture);
        var old = w.Payments.Secret;
        var rotated = await WebhookSender.CreateAsync(fixture, w.Owner, w.Tenant.OrganizationId, "payments");
        Assert.NotEqual(old, rotated.Secret);
        rotated.Dispose();

        // During the grace period both sign; a header may carry both signatures (new first or not).
        Assert.Equal(HttpStatusCode.OK, (await w.Payments.SendAsync(w.Payment("payment.paid", fixture.Clock.GetUtcNow()), signWith: old)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await w.Payments.SendAsync(w.Payment("payment.paid", fixture.Clock.GetUtcNow()), signWith: rotated.Secret)).StatusCode);

        await fixture.AdvanceAsync(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        await ApiClient.ProblemAsync(
            await w.Payments.SendAsync(w.Payment("payment.paid", fixture.Clock.GetUtcNow()), signWith: old), HttpStatusCode.Unauthorized, "signature_invalid");
        Assert.Equal(HttpStatusCode.OK, (await w.Payments.SendAsync(w.Payment("payment.paid", fixture.Clock.GetUtcNow()), signWith: rotated.Secret)).StatusCode);

        var revoked = await w.Owner.SendAsync(HttpMethod.Delete, $"/api/organizations/{w.Tenant.OrganizationId}/integrations/payments/secrets", null);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var before = await Db.FingerprintAsync(fixture.ConnectionString);
        await ApiClient.ProblemAsync(
            await w.Payments.SendAsync(w.Payment("payment.refunded", fixture.Clock.GetUtcNow()), signWith: rotated.Secret), HttpStatusCode.Unauthorized, "signature_invalid");
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
        Assert.Equal(TicketStatus.Valid, (await w.ReloadTicketAsync()).Status);
    }

    [Fact]
    public async Task ASignatureHeaderWithSeveralSignatures_IsAcceptedWhenAnyMatches()
    {
        using var w = await WebhookWorld.CreateAsync(fixture);
        var body = w.Payment("payment.paid", fixture.Clock.GetUtcNow());
        var ts = fixture.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var wrong = WebhookSender.Sign("whsec_" + Convert.ToBase64String(new byte[32]), "msg_multi", ts, body);
        var right = WebhookSender.Sign(w.Payments.Secret, "msg_multi", ts, body);
        using var http = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/integrations/{w.Tenant.OrganizationId}/payments") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", "msg_multi");
        request.Headers.Add("webhook-timestamp", ts);
        request.Headers.Add("webhook-signature", $"v1a,bm90LWVkMjU1MTk= {wrong} {right}");

        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request, TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task TheSecret_IsShownOnce_AndNotStoredInClearText()
    {
        using var w = await WebhookWorld.CreateAsync(fixture);
        var key = Convert.FromBase64String(w.Payments.Secret["whsec_".Length..]);

        var stored = await Db.ScalarAsync<byte[]>(fixture.ConnectionString,
            "SELECT ciphertext FROM integration_secrets WHERE organization_id = @org AND kind = 'payments'", ("org", w.Tenant.OrganizationId));
        Assert.NotNull(stored);
        Assert.Equal(-1, stored.AsSpan().IndexOf(key.AsSpan(0, 8)));
        Assert.DoesNotContain(w.Payments.Secret["whsec_".Length..], Encoding.ASCII.GetString(stored), StringComparison.Ordinal);
        var row = await Db.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT row_to_json(s)::text FROM integration_secrets s WHERE organization_id = @org AND kind = 'payments'", ("org", w.Tenant.OrganizationId));
        Assert.DoesNotContain(w.Payments.Secret["whsec_".Length..], row, StringComparison.Ordinal);

        var listed = await w.Owner.GetAsync($"/api/organizations/{w.Tenant.OrganizationId}/integrations/secrets");
        var text = await listed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.DoesNotContain(w.Payments.Secret["whsec_".Length..], text, StringComparison.Ordinal);
        Assert.Equal(2, JsonDocument.Parse(text).RootElement.GetArrayLength());
        Assert.Equal(0, await Db.CountAsync(fixture.ConnectionString,
            "SELECT count(*) FROM audit_log WHERE organization_id = @org AND action LIKE 'integration.%' AND after::text LIKE '%' || @secret || '%'",
            ("org", w.Tenant.OrganizationId), ("secret", w.Payments.Secret["whsec_".Length..])));
    }

    [Fact]
    public async Task AMalformedBody_Is400AndRecorded_ATooLargeOne_Is413()
    {
        using var w = await WebhookWorld.CreateAsync(fixture);
        var before = await Db.FingerprintAsync(fixture.ConnectionString);

        await ApiClient.ProblemAsync(await w.Payments.SendAsync("{\"type\": \"payment.paid\", \"data\": ", id: "msg_bad"), HttpStatusCode.BadRequest, "malformed_request");
        await ApiClient.ProblemAsync(await w.Payments.SendAsync("{\"type\": \"payment.paid\", \"data\": {}}", id: "msg_bad2"), HttpStatusCode.BadRequest);
        await ApiClient.ProblemAsync(await w.Payments.SendAsync(WebhookSender.Body("wristband.lost", new { }), id: "msg_bad3"), HttpStatusCode.BadRequest);
        var huge = WebhookSender.Body("payment.paid", new { reference = new string('x', 70 * 1024) }, fixture.Clock.GetUtcNow());
        await ApiClient.ProblemAsync(await w.Payments.SendAsync(huge), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");

        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
        Assert.Equal(400, await Db.ScalarAsync<int>(fixture.ConnectionString,
            "SELECT status FROM integration_deliveries WHERE organization_id = @org AND delivery_id = 'msg_bad'", ("org", w.Tenant.OrganizationId)));
    }
}
