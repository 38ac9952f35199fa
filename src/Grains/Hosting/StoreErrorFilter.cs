using EventSeries.Persistence.Errors;

namespace EventSeries.Grains.Hosting;

/// <summary>
/// The one place on the silo where what a store found becomes what the domain answers: a write
/// conflict a 409, a missing row a 404. Stores speak of rows; callers (other grains, the API on
/// another process) get the serializable <see cref="DomainException"/>.
/// </summary>
public sealed class StoreErrorFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (WriteConflictException e)
        {
            throw DomainException.Conflict(e.Code, e.Message);
        }
        catch (RowNotFoundException e)
        {
            throw DomainException.NotFound(e.Resource);
        }
    }
}
