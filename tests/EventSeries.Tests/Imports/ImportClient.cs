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
