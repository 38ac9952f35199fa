using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace EventSeries.Bench.Chaos;

/// <summary>
/// One reading of GET /api/series/{id}/capacity. Conserved: the pool plus every shard's budget is
/// the capacity (and so is the pool plus every lease the coordinator counts, where it reports
/// leases), and the shards count as many inside as the log holds.
/// </summary>
public sealed record CapacityReading(int Capacity, int Pool, int? BudgetSum, int? LeaseSum, int? InsideSum, int InsideLogged, int Reserved, int Silent)
{
    public bool Conserved =>
        BudgetSum is { } budgets && Pool + budgets == Capacity
        && (LeaseSum is not { } leases || Pool + leases == Capacity)
        && InsideSum == InsideLogged;

    public override string ToString() =>
        $"pool {Pool} + budgets {Show(BudgetSum)} = {Show(Pool + BudgetSum)} of {Capacity}"
        + (LeaseSum is { } l ? $" (leases {l}: {Pool + l})" : "")
        + $"; inside {Show(InsideSum)} vs logged {InsideLogged}"
        + (Reserved > 0 ? $"; {Reserved} reserved" : "")
        + (Silent > 0 ? $"; {Silent} shard(s) did not answer" : "");

    private static string Show(int? n) => n?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
}

public static class CapacityProbe
{
    /// <summary>The ledger, or null when the endpoint does not exist (404: not in this build).</summary>
    public static async Task<CapacityReading?> ReadAsync(HttpClient http, ChaosOptions options)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.Targets[0], $"api/series/{options.SeriesId}/capacity"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var response = await http.SendAsync(request, timeout.Token);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
        var root = json.RootElement;
        int? Int(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
        int? budgets = 0, leases = 0, inside = 0;
        int reserved = 0, silent = 0;
        foreach (var shard in root.GetProperty("shards").EnumerateArray())
        {
            var budget = Int(shard, "budget");
            silent += budget is null ? 1 : 0;
            budgets += budget;
            leases = shard.TryGetProperty("lease", out _) ? leases + Int(shard, "lease") : null;
            inside += Int(shard, "inside");
            reserved += Int(shard, "reserved") ?? 0;
        }

        return new CapacityReading(Int(root, "capacity") ?? 0, Int(root, "pool") ?? 0, budgets, leases, inside, Int(root, "insideLogged") ?? 0, reserved, silent);
    }
}
