namespace EventSeries.Persistence.Notifications;

/// <summary>Something held in memory that one <see cref="ChangeFeed"/> channel keeps fresh.</summary>
public interface IChangeSubscriber
{
    /// <summary>The LISTEN/NOTIFY channel (one of <see cref="ChangeNotifications"/>' constants).</summary>
    string Channel { get; }

    /// <summary>A change named by <paramref name="payload"/> committed.</summary>
    void OnChanged(string payload);

    /// <summary>The feed was interrupted and changes may have been missed: forget everything.</summary>
    void OnGap();
}
