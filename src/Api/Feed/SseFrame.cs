using System.Text;

namespace EventSeries.Api.Feed;

/// <summary>
/// One Server-Sent Event on the wire: <c>event:</c>, <c>id:</c> when there is one, one <c>data:</c>
/// line per line of data, then a blank line (the WHATWG event-stream format).
/// </summary>
public static class SseFrame
{
    public static byte[] Encode(string type, string? id, string data)
    {
        var text = new StringBuilder(data.Length + 64);
        text.Append("event: ").Append(type).Append('\n');
        if (id is not null)
        {
            text.Append("id: ").Append(id).Append('\n');
        }

        foreach (var line in data.Split('\n'))
        {
            text.Append("data: ").Append(line.TrimEnd('\r')).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.Append('\n').ToString());
    }
}
