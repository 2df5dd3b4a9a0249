using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Taizhang.Web.Tests.Infrastructure;

/// <summary>Every line logged while a request runs its endpoint carries the request id in its scope.</summary>
public abstract class RequestIdLoggingTests(TaizhangApp app)
{
    [Fact]
    public async Task LogLinesWithinARequest_CarryItsRequestId()
    {
        var capture = new CapturingLoggerProvider();
        using var factory = app.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddLogging(l =>
        {
            l.AddProvider(capture);
            l.AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace);
        })));
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/track/NO-SUCH-CODE");
        request.Headers.Add("X-Request-Id", "log-test-4711");
        using var response = await client.SendAsync(request);
        Assert.Equal("log-test-4711", Assert.Single(response.Headers.GetValues("X-Request-Id")));

        // The endpoint's lines (routing, the handler, the problem written) all run inside the request-id scope.
        var endpointLines = capture.Entries.Where(e => e.Category.StartsWith("Microsoft.AspNetCore.Routing.EndpointMiddleware", StringComparison.Ordinal)
            && e.Scopes.Contains("/api/v1/track/NO-SUCH-CODE")).ToList();
        Assert.NotEmpty(endpointLines);
        Assert.All(endpointLines, e => Assert.Contains("X-Request-Id:log-test-4711", e.Scopes));
    }

    private sealed record Entry(string Category, string Message, string Scopes);

    private sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scopes = new List<string>();
                provider._scopes.ForEachScope((scope, list) => list.Add(scope?.ToString() ?? ""), scopes);
                provider.Entries.Enqueue(new Entry(category, formatter(state, exception), string.Join(" => ", scopes)));
            }
        }
    }
}

public sealed class RequestIdLoggingTests_Sqlite(SqliteApp app) : RequestIdLoggingTests(app), IClassFixture<SqliteApp>;

public sealed class RequestIdLoggingTests_Postgres(PostgresApp app) : RequestIdLoggingTests(app), IClassFixture<PostgresApp>;
