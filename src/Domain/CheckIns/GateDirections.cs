using EventSeries.CheckIns;
using EventSeries.Events;

namespace EventSeries.Domain.CheckIns;

/// <summary>
/// Which ways a gate lets people through, by its kind. Every kind documented as an entrance (entry,
/// vip, staff) only lets people in, an exit only out, and a mixed gate both: a turnstile that
/// turns one way must not record the other, or an exit gate becomes a way in. The table is in
/// docs/architecture.md ("Gate kinds").
/// </summary>
public static class GateDirections
{
    public static bool Accepts(GateKind kind, ScanDirection direction) => kind switch
    {
        GateKind.Mixed => true,
        GateKind.Exit => direction == ScanDirection.Out,
        GateKind.Entry or GateKind.Vip or GateKind.Staff => direction == ScanDirection.In,
        _ => false,
    };
}
