using EventSeries.CheckIns;
using EventSeries.Persistence.Audit;
using EventSeries.Persistence.Stores;
using EventSeries.Wristbands;
using Orleans.Runtime;

namespace EventSeries.Grains.Wristbands;

/// <summary>One wristband, its row held in memory.</summary>
[GrainType("wristband")]
public sealed class WristbandGrain(WristbandStore store, DomainTime time) : Grain, IWristbandGrain
{
    private WristbandView? _state;

    public async Task<WristbandView> GetAsync(Caller caller) => (await VisibleAsync(caller, Permission.View)).For(caller);

    public async Task<WristbandView> SetStatusAsync(Caller caller, WristbandStatus status)
    {
        var state = await VisibleAsync(caller, Permission.ManageWristbands);
        if (!Enum.IsDefined(status))
        {
            throw DomainException.Invalid("status", "Unknown status.");
        }

        if (state.Status == status)
        {
            return state.For(caller);
        }

        var now = time.Now();
        await store.UpdateStatusAsync(state.Id, status, now, AuditEntry.By(
            caller, state.OrganizationId, now, "wristband.status", "wristband", state.Id, new { status = state.Status }, new { status }));
        _state = state with { Status = status, UpdatedAt = now };

        // The gates hold the status in memory: tell the wristband's access grain right away.
        await GrainFactory.Reference<IWristbandAccessGrain>(AccessKey.For(state.EventId, state.NfcId)).StatusChangedAsync(status);
        return _state.For(caller);
    }

    // The row is read on every call: wristbands are registered in bulk by their event and deleted
    // with it, neither through this grain, so memory would go on answering for a deleted wristband
    // (its holder's personal data among it). Administrative calls are rare; scans never come here.
    private async Task<WristbandView> VisibleAsync(Caller caller, Permission permission)
    {
        _state = await store.LoadAsync(this.GetPrimaryKey());
        var state = _state ?? throw DomainException.NotFound("Wristband");
        caller.Authorize(state.OrganizationId, permission, "Wristband");
        return state;
    }
}
