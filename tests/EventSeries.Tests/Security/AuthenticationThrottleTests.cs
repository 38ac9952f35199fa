using System.Net;
using EventSeries.Api.Auth;
using EventSeries.CheckIns;
using EventSeries.Devices;
using EventSeries.Organizations;

namespace EventSeries.Tests.Security;

/// <summary>Guessing tokens is rate limited per client address; valid scanners keep scanning meanwhile.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class AuthenticationThrottleTests(ApiFixture fixture)
{
    [Fact]
    public async Task AfterTooManyFailedTokens_TheAddressGets429WithRetryAfter_ValidDevicesStillScan_AndTheBlockEndsWithTheWindow()
    {
        var tenant = await fixture.NewTenantAsync("Throttle Org");
        using var owner = fixture.Host.Client(tenant.Token);
        var gates = await GateScenario.CreateAsync(owner, fixture.Clock.GetUtcNow(), general: 5);
        var issued = await owner.PostOkAsync<IssuedDevice>($"/api/events/{gates.Event.Id}/devices", new { name = "Busy handheld" });
                using var device = fixture.Host.Client(issued.Token);
        var scans = $"/api/events/{gates.Event.Id}/scans";
        Assert.Equal(HttpStatusCode.OK, (await device.PostAsync(scans, new { nfcId = gates.Wristbands[0].NfcId, gateId = gates.Main.Id })).StatusCode);

        // Start a fresh window, so failures of earlier tests from this address do not count.
        await fixture.AdvanceAsync(AuthenticationThrottle.Window);
        for (var i = 0; i < AuthenticationThrottle.MaxFailures; i++)
        {
            using var guesser = fixture.Host.Client($"es_guess{i:D4}");
            await ApiClient.ProblemAsync(await guesser.PostAsync(scans, new { nfcId = "X", gateId = gates.Main.Id }), HttpStatusCode.Unauthorized);
        }

        using var blocked = fixture.Host.Client("es_one-more-guess");
        var refused = await blocked.PostAsync(scans, new { nfcId = "X", gateId = gates.Main.Id });
        await ApiClient.ProblemAsync(refused, (HttpStatusCode)429);
        var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, (int)AuthenticationThrottle.Window.TotalSeconds);

        // The same bad token again is still refused (from the cache of failed tokens, without a lookup).
        await ApiClient.ProblemAsync(await blocked.PostAsync(scans, new { nfcId = "X", gateId = gates.Main.Id }), (HttpStatusCode)429);

        // The device that authenticated from here before keeps scanning, unslowed.
        for (var i = 1; i < 5; i++)
        {
            var verdict = await device.PostOkAsync<ScanVerdict>(scans, new { nfcId = gates.Wristbands[i].NfcId, gateId = gates.Main.Id }, HttpStatusCode.OK);
            Assert.True(verdict.Allowed);
        }

        await fixture.AdvanceAsync(TimeSpan.FromSeconds(retryAfter));
        await ApiClient.ProblemAsync(await blocked.GetAsync("/api/organizations"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AValidTokenNeverSeenFromABlockedAddress_IsStillAdmitted()
    {
        // A venue's scanners share one address: a new scanner (or person) must get in however many
        // bad tokens came from there; only the bad tokens are refused.
        var tenant = await fixture.NewTenantAsync("Throttle Newcomer Org");
        using var owner = fixture.Host.Client(tenant.Token);
        var gates = await GateScenario.CreateAsync(owner, fixture.Clock.GetUtcNow(), general: 2);
        var member = await owner.PostOkAsync<MemberView>($"/api/organizations/{tenant.OrganizationId}/members", new { displayName = "New Scanner", role = "member" });
        var fresh = await owner.PostOkAsync<IssuedToken>($"/api/organizations/{tenant.OrganizationId}/members/{member.UserId}/tokens", new { });
        var device = await owner.PostOkAsync<IssuedDevice>($"/api/events/{gates.Event.Id}/devices", new { name = "Handheld switched on late" });
        var scans = $"/api/events/{gates.Event.Id}/scans";

        await fixture.AdvanceAsync(AuthenticationThrottle.Window);
        for (var i = 0; i < AuthenticationThrottle.MaxFailures + 5; i++)
        {
            using var guesser = fixture.Host.Client($"es_newcomer-guess{i:D4}");
            var refused = await guesser.GetAsync("/api/organizations");
            Assert.Equal(i < AuthenticationThrottle.MaxFailures ? HttpStatusCode.Unauthorized : (HttpStatusCode)429, refused.StatusCode);
        }

        using var person = fixture.Host.Client(fresh.Secret);
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("/api/organizations")).StatusCode);
        using var scanner = fixture.Host.Client(device.Token);
        var verdict = await scanner.PostOkAsync<ScanVerdict>(scans, new { nfcId = gates.Wristbands[0].NfcId, gateId = gates.Main.Id }, HttpStatusCode.OK);
        Assert.True(verdict.Allowed);

        // Letting them in did not lift the block for guessers.
        using var another = fixture.Host.Client("es_newcomer-guess-after");
        await ApiClient.ProblemAsync(await another.GetAsync("/api/organizations"), (HttpStatusCode)429);

        // Leave no block behind for the collection's other tests (they share this address).
        await fixture.AdvanceAsync(AuthenticationThrottle.Window);
    }
}
