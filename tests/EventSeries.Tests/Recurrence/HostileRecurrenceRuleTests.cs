using System.Net;
using System.Text.Json;
using FsCheck.Fluent;

namespace EventSeries.Tests.Recurrence;

/// <summary>
/// Generated RRULEs (FsCheck), mixing well-formed parts with garbage values, sent to
/// POST /api/series/recurring: never a 5xx; a refused rule is 400 problem details naming
/// recurrence.rule and changes nothing; no answer leaks .NET type names.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class HostileRecurrenceRuleTests(ApiFixture fixture)
{
    /// <summary>How many generated rules one run sends (each refusal also costs a database fingerprint).</summary>
    private const int Rules = 400;

    private static readonly string[] ValidParts =
    [
        "FREQ=DAILY", "FREQ=WEEKLY", "FREQ=MONTHLY", "FREQ=YEARLY", "COUNT=3", "COUNT=1", "INTERVAL=2", "BYDAY=MO,TH", "BYDAY=-1FR",
        "BYMONTH=3,4", "BYHOUR=19", "BYMINUTE=0,30", "BYSECOND=0", "BYMONTHDAY=15,-1", "BYYEARDAY=100", "BYWEEKNO=12", "BYSETPOS=-1",
        "UNTIL=20270601T000000Z", "UNTIL=20270601", "WKST=MO",
    ];

    private static readonly string[] Names =
    [
        "FREQ", "COUNT", "INTERVAL", "UNTIL", "BYDAY", "BYMONTH", "BYHOUR", "BYMINUTE", "BYSECOND", "BYMONTHDAY", "BYYEARDAY",
        "BYWEEKNO", "BYSETPOS", "WKST", "X-FOO", "", "freq", "COUNT ",
    ];

    private static readonly string[] GarbageValues =
    [
        "", "x", "abc", "1.5", "99999999999", "-99999999999", "2147483648", "-0", "+", "-", "0", "1e3", "0x10", ",", "1,,2", "1,", "MO",
        "٣", "😀", "=", "3=3", "20271301", "20270101T250000Z", "tomorrow", "XX", "99MO", "0MO", "+1XX", "DAILY;", new string('9', 400),
        "HOURLY", "SECONDLY", "'; DROP TABLE events; --", "\\u0000", "%00",
    ];

    [Fact]
    public async Task GeneratedRules_NeverGet5xx_AndRefusalsAre400NamingTheRule()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync("Rule Fuzz Org")).Token);
        var s = await RecurringScenario.CreateAsync(client);
        var part = Gen.Frequency(
            (3, Gen.Elements(ValidParts)),
            (2, from name in Gen.Elements(Names) from value in Gen.Elements(GarbageValues) select $"{name}={value}"),
            (1, Gen.Elements(GarbageValues)));
        var rules =
            from first in Gen.Frequency((4, Gen.Elements("FREQ=WEEKLY", "FREQ=DAILY", "FREQ=MONTHLY", "RRULE:FREQ=YEARLY")), (1, part))
            from count in Gen.Choose(0, 4)
            from rest in Gen.ListOf(part, count)
            from separator in Gen.Frequency((9, Gen.Constant(";")), (1, Gen.Elements(",", ";;", "; ")))
            select string.Join(separator, rest.Prepend(first));

        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        var fingerprint = await Db.FingerprintAsync(fixture.ConnectionString);
        foreach (var rule in rules.Sample(Rules, 10))
        {
            using var response = await client.PostAsync("/api/series/recurring", s.Body(rule, instances: 3));
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (text.Contains("System.", StringComparison.Ordinal))
            {
                failures.Add($"{status} naming a .NET type for {rule}: {text}");
            }

            if (status == 201)
            {
                fingerprint = await Db.FingerprintAsync(fixture.ConnectionString);
                continue;
            }

            if (status != 400 || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{status} for {rule}: {text}");
                continue;
            }

            var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
            if (!errors.TryGetProperty("recurrence.rule", out _))
            {
                failures.Add($"400 without a recurrence.rule error for {rule}: {text}");
            }

            if (await Db.FingerprintAsync(fixture.ConnectionString) != fingerprint)
            {
                failures.Add($"400 but the database changed, for {rule}");
            }
        }

        var summary = string.Join(", ", statuses.OrderBy(x => x.Key).Select(x => $"{x.Key}: {x.Value}"));
        Assert.True(failures.Count == 0, $"{failures.Count} of {Rules} rules broke a rule (statuses {summary}):\n" + string.Join("\n", failures.Take(20)));

        // The generator reached both answers: rules accepted and rules refused.
        Assert.True(statuses.GetValueOrDefault(201) > 10 && statuses.GetValueOrDefault(400) > Rules / 4, summary);
    }
}
