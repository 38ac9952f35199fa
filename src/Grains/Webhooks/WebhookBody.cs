using System.Text.Json;

namespace EventSeries.Grains.Webhooks;

/// <summary>A delivery's body: <c>{"type": …, "timestamp": when it happened, "data": {…}}</c>, the same bytes on every attempt.</summary>
public static class WebhookBody
{
    public static byte[] Write(string type, DateTimeOffset occurredAt, string dataJson)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("timestamp", occurredAt.ToUniversalTime());
            writer.WritePropertyName("data");
            writer.WriteRawValue(dataJson, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
