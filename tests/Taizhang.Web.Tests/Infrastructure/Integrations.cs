using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;

namespace Taizhang.Web.Tests.Infrastructure;

/// <summary>Integrations (API clients) as an administrator creates them, calling with their Bearer token.</summary>
public static class Integrations
{
    public const string AllChannels = "Hotline,WeChat,Web,HigherLevel,Petition,LivelihoodPlatform,Open311";

    /// <summary>A new API client of <paramref name="unit"/> and an HTTP client that sends its token.</summary>
    public static async Task<(HttpClient Client, long Id)> IntegrationAsync(this TaizhangApp app, string unit = "SCH", string channels = AllChannels)
    {
        var (token, prefix, hash) = ApiTokens.New();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        var row = new ApiClient
        {
            Name = "对接系统-" + Guid.NewGuid().ToString("N")[..8],
            OrgUnitId = await db.OrgUnits.Where(u => u.Code == unit).Select(u => u.Id).SingleAsync(),
            AllowedChannels = channels,
            TokenPrefix = prefix,
            TokenHash = hash,
            CreatedAt = DateTime.UtcNow,
            CreatedBy = "test",
        };
        db.ApiClients.Add(row);
        await db.SaveChangesAsync();
        var client = app.CreateDefaultClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (client, row.Id);
    }
}
