using System.Globalization;
using System.Text.Json;
using EventSeries.Webhooks;

namespace EventSeries.Api.Contracts;

/// <summary>Body of POST /api/organizations/{organizationId}/webhooks.</summary>
public sealed class WebhookSubscriptionRequest
{
    /// <summary>Where deliveries are POSTed: http or https, resolving to public addresses only.</summary>
    public string? Url { get; init; }

    /// <summary>Any of checkin.created, checkin.denied, series.transitioned, ticket.updated, import.completed.</summary>
    public ImmutableArray<string>? EventTypes { get; init; }

    /// <summary>A note for people (at most 500 characters).</summary>
    public string? Description { get; init; }
}

/// <summary>Body of PATCH /api/organizations/{organizationId}/webhooks/{webhookId}: only the fields given change.</summary>
public sealed class WebhookSubscriptionPatch
{
    public string? Url { get; init; }

    public ImmutableArray<string>? EventTypes { get; init; }

    public string? Description { get; init; }

    /// <summary>paused (by hand; the reason names who) or active (the same as resume).</summary>
    public WebhookSubscriptionStatus? Status { get; init; }

    public WebhookSubscriptionChange ToChange() => new(Url, EventTypes, Description, Status);
}

/// <summary>Body of POST …/webhooks/{webhookId}/replay: <c>from</c> is a delivery id (a number) or a time (ISO 8601).</summary>
public sealed class WebhookReplayRequest
{
    public JsonElement? From { get; init; }

    public WebhookReplay ToReplay()
    {
        var from = From is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } value ? value : throw DomainException.Invalid("from", "Required: a delivery id or a time.");
        if (from.ValueKind == JsonValueKind.Number && from.TryGetInt64(out var id) && id > 0)
        {
            return new WebhookReplay(id, null);
        }

        if (from.ValueKind == JsonValueKind.String && from.GetString() is { } text)
        {
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var idText) && idText > 0)
            {
                return new WebhookReplay(idText, null);
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                return new WebhookReplay(null, time);
            }
        }

        throw DomainException.Invalid("from", "Must be a delivery id (a positive number) or a time (ISO 8601).");
    }
}

/// <summary>A subscription with its signing secret: the answer of create and rotate-secret, the only times the secret is shown.</summary>
public sealed record IssuedWebhookSubscription(WebhookSubscriptionView Subscription, string SigningSecret);
