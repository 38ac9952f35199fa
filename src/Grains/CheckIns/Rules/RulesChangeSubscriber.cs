using EventSeries.Persistence.Notifications;

namespace EventSeries.Grains.CheckIns.Rules;

/// <summary>
/// Drops a changed event from this silo's <see cref="EventRulesCache"/> when PostgreSQL reports
/// the change, and the whole cache when the feed was interrupted.
/// </summary>
public sealed class RulesChangeSubscriber(EventRulesCache cache) : IChangeSubscriber
{
    public string Channel => ChangeNotifications.RulesChannel;

    public void OnChanged(string payload)
    {
        if (ChangeNotifications.ParseId(payload) is { } eventId)
        {
            cache.Invalidate(eventId);
        }
    }

    public void OnGap() => cache.InvalidateAll();
}
