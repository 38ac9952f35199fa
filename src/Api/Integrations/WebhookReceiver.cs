using EventSeries.Persistence.Secrets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EventSeries.Api.Errors;
using EventSeries.Integrations;
using EventSeries.Persistence.Integrations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace EventSeries.Api.Integrations;

/// <summary>
/// Takes a delivery from the door to its answer. Nothing is recorded or changed before the
/// signature and the timestamp are good (a forged delivery cannot occupy a delivery id); from then
/// on every answer (success, malformed body, unknown ticket, refused change) is stored with the
/// delivery id, so a repeat is answered the same and changes nothing. Only a transient fault
/// (database or cluster away) gives the id up again, for the sender's retry.
/// </summary>
public sealed class WebhookReceiver(
    IntegrationSecretStore secrets, DeliveryStore deliveries, SecretProtector protector, WebhookEvents events, DomainTime time,
    IOptions<IntegrationOptions> options, IOptions<HttpJsonOptions> json)
{
    private const string ProblemJson = "application/problem+json";

    public async Task<IResult> ReceiveAsync(Guid organizationId, IntegrationKind kind, HttpContext http)
    {
        var body = await ReadBodyAsync(http.Request, options.Value.MaxBodyBytes);
        if (body is null)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "Too large.", $"A delivery is at most {options.Value.MaxBodyBytes} bytes.");
        }

        var headers = http.Request.Headers;
        string id = headers["webhook-id"].ToString(), timestamp = headers["webhook-timestamp"].ToString(), signature = headers["webhook-signature"].ToString();
        if (id.Length == 0 || timestamp.Length == 0 || signature.Length == 0)
        {
            return Unauthorized("signature_missing", "A delivery needs the headers webhook-id, webhook-timestamp and webhook-signature (Standard Webhooks).");
        }

        if (id.Length > 200)
        {
            return Unauthorized("signature_invalid", "The webhook-id is longer than 200 characters.");
        }

        var now = time.Now();
        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || (DateTimeOffset.FromUnixTimeSeconds(seconds) - now).Duration() > IntegrationSecrets.TimestampTolerance)
        {
            return Unauthorized(
                "timestamp_out_of_tolerance",
                $"webhook-timestamp must be the sending time in Unix seconds, within {IntegrationSecrets.TimestampTolerance.TotalMinutes:0} minutes of ours; a delivery sent again needs a new timestamp and signature.");
        }

        if (!await IsSignedAsync(organizationId, kind, id, timestamp, body, signature, now))
        {
            // The same answer for an unknown organization, a missing, revoked or wrong secret.
            return Unauthorized("signature_invalid", "No signature of the delivery matches a current secret of this organization's integration.");
        }

        var claim = await deliveries.ClaimAsync(organizationId, id, kind, SHA256.HashData(body), now);
        if (!claim.Claimed)
        {
            return claim switch
            {
                { SameDelivery: false } => Problem(
                    StatusCodes.Status409Conflict, "delivery_id_reused", "Conflict with the current state.", "This webhook-id was delivered before with another body or integration; nothing was changed."),
                { Status: { } status, Answer: { } answer } => Answer(http, status, answer, replayed: true),
                _ => InProgress(http),
            };
        }

        var (code, text, type) = await ApplyAsync(organizationId, kind, id, body, http);
        await deliveries.AnswerAsync(organizationId, id, type, code, text, time.Now());
        return Answer(http, code, text, replayed: false);
    }

    private async Task<(int Status, string Answer, string? Type)> ApplyAsync(Guid organizationId, IntegrationKind kind, string id, byte[] body, HttpContext http)
    {
        WebhookPayload payload;
        try
        {
            payload = JsonSerializer.Deserialize<WebhookPayload>(body, json.Value.SerializerOptions)
                ?? throw new JsonException("The body is null.");
        }
        catch (JsonException e)
        {
            return (StatusCodes.Status400BadRequest, ProblemText(StatusCodes.Status400BadRequest, "malformed_request", "The request is malformed.",
                JsonErrorText.Describe(e, typeof(WebhookPayload), json.Value.SerializerOptions)), null);
        }

        try
        {
            var result = await events.ApplyAsync(organizationId, kind, id, payload);
            return (StatusCodes.Status200OK, JsonSerializer.Serialize(result, json.Value.SerializerOptions), payload.Type);
        }
        catch (DomainException e) when (e.Kind != global::EventSeries.Errors.DomainErrorKind.Unavailable)
        {
            var problem = DomainExceptionHandler.FromDomain(e);

            // The delivery reached us fine; what it names does not exist here.
            if (e.Kind == global::EventSeries.Errors.DomainErrorKind.NotFound)
            {
                problem.Status = StatusCodes.Status422UnprocessableEntity;
                problem.Title = "The delivery names nothing of this organization.";
            }

            return (problem.Status ?? StatusCodes.Status400BadRequest, Serialize(problem), payload.Type);
        }
        catch
        {
            // Nothing was decided (a transient fault answers 503, anything else 500): the sender's retry works on it again.
            await deliveries.ReleaseAsync(organizationId, id);
            throw;
        }
    }

    private async Task<bool> IsSignedAsync(Guid organizationId, IntegrationKind kind, string id, string timestamp, byte[] body, string signature, DateTimeOffset now)
    {
        var accepted = await secrets.AcceptedAsync(organizationId, kind, now);
        var keys = accepted.Select(s => protector.Decrypt(organizationId, kind, s.Id, s.Ciphertext)).OfType<byte[]>().ToList();
        return keys.Count > 0 && WebhookSignature.Verify(keys, id, timestamp, body, signature);
    }

    /// <summary>The body, or null when it is longer than <paramref name="limit"/> (read no further than that).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static IResult Answer(HttpContext http, int status, string answer, bool replayed)
    {
        if (replayed)
        {
            // Same status and body as the first time; the header only says it is a repeat.
            http.Response.Headers["webhook-replayed"] = "true";
        }

        return Results.Text(answer, status >= 400 ? ProblemJson : "application/json", Encoding.UTF8, status);
    }

    private IResult InProgress(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "1";
        return Problem(StatusCodes.Status409Conflict, "delivery_in_progress", "Conflict with the current state.", "This delivery is being worked on; send it again in a moment to get its answer.");
    }

    private IResult Unauthorized(string code, string detail) =>
        Problem(StatusCodes.Status401Unauthorized, code, "The delivery is not authenticated.", detail);

    private IResult Problem(int status, string code, string title, string detail) =>
        Results.Text(ProblemText(status, code, title, detail), ProblemJson, Encoding.UTF8, status);

    private string ProblemText(int status, string code, string title, string detail) =>
        Serialize(new ProblemDetails { Status = status, Title = title, Detail = detail, Extensions = { ["code"] = code } });

    private string Serialize(ProblemDetails problem) => JsonSerializer.Serialize(problem, json.Value.SerializerOptions);
}
