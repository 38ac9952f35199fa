using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text;
using EventSeries.Persistence.Imports;

namespace EventSeries.Tests.Imports;

/// <summary>Uploads wristband or ticket files and waits for their jobs, as a client of the import endpoints would.</summary>
public static class ImportClient
{
    public static Task<HttpResponseMessage> UploadAsync(ApiClient client, Guid eventId, string body, string format = "csv", string? mode = null, string kind = "wristbands") =>
        client.SendRawAsync(HttpMethod.Post, $"/api/events/{eventId}/{kind}/import?format={format}{(mode is null ? "" : $"&mode={mode}")}", body,
            format == "csv" ? "text/csv" : "application/x-ndjson");

    /// <summary>Uploads, expects 202 with a job, and polls the job until its merge has finished.</summary>
    public static async Task<ImportJobView> ImportAsync(ApiClient client, Guid eventId, string body, string format = "csv", string? mode = null, string kind = "wristbands")
    {
        var response = await UploadAsync(client, eventId, body, format, mode, kind);
        var accepted = await ApiClient.ReadAsync<ImportJobView>(response, HttpStatusCode.Accepted);
        Assert.Equal($"/api/imports/{accepted.Id}", response.Headers.Location?.OriginalString);
        return await FinishedAsync(client, accepted.Id);
    }

    /// <summary>The merge runs after the 202 by design: poll the job until it is completed or failed.</summary>
    public static Task<ImportJobView> FinishedAsync(ApiClient client, Guid jobId) =>
        Eventually.ValueAsync(() => client.GetOkAsync<ImportJobView>($"/api/imports/{jobId}"), job => job.Status is "completed" or "failed", TimeSpan.FromSeconds(30));

    /// <summary>
    /// Waits until the host's gates know the event's wristbands changed: an import raises the
    /// event's <c>wristbands_version</c> and notifies every silo, which drops its rules, so a band's
    /// next scan reads its rows again. The notice travels asynchronously (milliseconds; under a loaded
    /// machine more), and the promise is every silo within a second, which this checks.
    /// </summary>
    public static async Task WristbandChangesReachedGatesAsync(ApiHost host, Guid eventId)
    {
        var committed = await Db.ScalarAsync<long>(host.ConnectionString, "SELECT wristbands_version FROM events WHERE id = @e", ("e", eventId));
        var rules = host.App.Services.GetRequiredService<EventSeries.Grains.CheckIns.Rules.EventRulesCache>();
        await Eventually.ValueAsync(async () => (await rules.GetEventAsync(eventId))?.WristbandsVersion ?? -1, v => v >= committed, TimeSpan.FromSeconds(1));
    }

    public static string Csv(params string[] lines) => string.Join("\n", lines) + "\n";

    public static string Lines(IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }
}
