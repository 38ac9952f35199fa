using EventSeries.Events;
using EventSeries.Series;
using EventSeries.Wristbands;

namespace EventSeries.Tests.Infrastructure;

/// <summary>Builds an event with categories, gates and wristbands through the grains, for grain tests.</summary>
public sealed record EventFixtureData(Guid EventId, ImmutableArray<GateView> Gates, ImmutableArray<WristbandView> Wristbands)
{
    public static readonly DateTimeOffset Start = new(2027, 7, 1, 18, 0, 0, TimeSpan.Zero);

    public static async Task<EventFixtureData> CreateAsync(IGrainFactory grains, Tenant tenant, int general = 5, int vip = 2)
    {
        var eventId = Guid.NewGuid();
        var events = grains.GetGrain<IEventGrain>(eventId);
        await events.CreateAsync(tenant.Owner, tenant.OrganizationId, new EventSpec("Festival", null, "Europe/Berlin"), [new("general", null), new("vip", null)]);
        var main = await events.CreateGateAsync(tenant.Owner, Guid.NewGuid(), new GateSpec("Main", GateKind.Entry, GateStatus.Open, []));
        var vipGate = await events.CreateGateAsync(tenant.Owner, Guid.NewGuid(), new GateSpec("VIP", GateKind.Vip, GateStatus.Open, ["vip"]));
        var specs = Enumerable.Range(0, general).Select(i => new WristbandSpec(Guid.NewGuid(), $"G{i:D4}-{eventId:N}"[..20], "general", WristbandStatus.Active))
            .Concat(Enumerable.Range(0, vip).Select(i => new WristbandSpec(Guid.NewGuid(), $"V{i:D4}-{eventId:N}"[..20], "vip", WristbandStatus.Active)))
            .ToImmutableArray();
        var wristbands = await events.RegisterWristbandsAsync(tenant.Owner, specs);
        return new EventFixtureData(eventId, [main, vipGate], wristbands);
    }

    public NewSeries NewSeries(string name = "Day 1", ImmutableArray<CategoryLimit> limits = default) =>
        new(EventId, new SeriesSpec(name, null, Start, Start.AddHours(6), CheckInWindow.Default, 500), [.. Gates.Select(g => g.Id)], limits.IsDefault ? [] : limits);
}
