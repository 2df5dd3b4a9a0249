namespace Taizhang.Web.Infrastructure;

/// <summary>
/// Work counted beside the request's own, on a DI scope (a database connection) and a thread of its own: a report's
/// consultation figures while its case figures are counted (the second core is otherwise idle; Microsoft.Data.Sqlite's
/// async calls complete synchronously, so without a thread of its own the work would simply run first). The scope is the
/// request's in all that matters: the signed-in user (the HttpContext accessor) and the culture flow with the execution
/// context. Disposing waits for the work and observes its failure before the scope goes, whatever happened meanwhile.
/// </summary>
public sealed class SideTask<T> : IAsyncDisposable
{
    private readonly AsyncServiceScope _scope;

    private SideTask(IServiceScopeFactory scopes, Func<IServiceProvider, Task<T>> work, CancellationToken ct)
    {
        _scope = scopes.CreateAsyncScope();
        var services = _scope.ServiceProvider;
        Result = Task.Run(() => work(services), ct);
    }

    /// <summary>The work's result (await it on the request's path).</summary>
    public Task<T> Result { get; }

    public static SideTask<T> Start(IServiceScopeFactory scopes, Func<IServiceProvider, Task<T>> work, CancellationToken ct) => new(scopes, work, ct);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Result;
        }
        catch (Exception)
        {
            // Observed here; when it matters the request awaited Result and met it there.
        }
        await _scope.DisposeAsync();
    }
}
