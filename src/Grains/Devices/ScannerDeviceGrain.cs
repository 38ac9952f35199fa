using EventSeries.Devices;
using EventSeries.Domain.Validation;
using EventSeries.Persistence.Audit;
using EventSeries.Persistence.Stores;
using Orleans.Runtime;

namespace EventSeries.Grains.Devices;

/// <summary>
/// One scanner device: registered once by an admin of its event's organization, revocable. Its
/// token is checked by the API (see the API's caller cache), not here; this grain only writes.
/// </summary>
[GrainType("scanner-device")]
public sealed class ScannerDeviceGrain(ScannerDeviceStore devices, SeriesStore events, DomainTime time) : Grain, IScannerDeviceGrain
{
    /// <summary>The most gates a device may be limited to.</summary>
    public const int MaxGates = 100;

    private ScannerDeviceView? _device;

    private Guid Id => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => _device = await devices.FindAsync(Id);

    public async Task<IssuedDevice> RegisterAsync(Caller caller, NewScannerDevice device)
    {
        var organizationId = await events.FindEventOrganizationAsync(device.EventId) ?? throw DomainException.NotFound("Event");
        caller.Authorize(organizationId, Permission.ManageDevices, "Event");
        if (_device is not null)
        {
            throw DomainException.Conflict("device_exists", "A device with this id already exists.");
        }

        var gateIds = device.GateIds.IsDefault ? [] : device.GateIds.Distinct().ToImmutableArray();
        var errors = new FieldErrors();
        errors.RequireText("name", device.Name, 100);
        if (gateIds.Length > MaxGates)
        {
            errors.Add("gateIds", $"At most {MaxGates} gates.");
        }
        else if (gateIds.Length > 0)
        {
            var known = await events.FindEventGatesAsync(device.EventId, [.. gateIds]);
            foreach (var unknown in gateIds.Where(g => !known.Contains(g)))
            {
                errors.Add("gateIds", $"Gate {unknown} is not a gate of the event.");
            }
        }

        errors.ThrowIfAny();
        var now = time.Now();
        var view = new ScannerDeviceView(Id, organizationId, device.EventId, device.Name, gateIds, now, null);
        var secret = TokenSecret.Generate();
        await devices.InsertAsync(view, TokenSecret.Hash(secret), caller.UserId,
            AuditEntry.By(caller, organizationId, now, "device.register", "device", Id, null, view));
        _device = view;
        return new IssuedDevice(view, secret);
    }

    public async Task<ScannerDeviceView> GetAsync(Caller caller) => await VisibleAsync(caller, Permission.View);

    public async Task<ScannerDeviceView> RevokeAsync(Caller caller)
    {
        var device = await VisibleAsync(caller, Permission.ManageDevices);
        if (device.RevokedAt is not null)
        {
            return device;
        }

        var now = time.Now();
        var revoked = device with { RevokedAt = now };
        await devices.RevokeAsync(Id, now, AuditEntry.By(caller, device.OrganizationId, now, "device.revoke", "device", Id, device, revoked));
        _device = revoked;
        return revoked;
    }

    // The row is read again on every call: deleting the device's event deletes it by cascade,
    // without this grain, and memory must not go on answering for it.
    private async Task<ScannerDeviceView> VisibleAsync(Caller caller, Permission permission)
    {
        _device = await devices.FindAsync(Id);
        var device = _device ?? throw DomainException.NotFound("Device");
        caller.Authorize(device.OrganizationId, permission, "Device");
        return device;
    }
}
