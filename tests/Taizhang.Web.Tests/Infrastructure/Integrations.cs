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

    /// <summary>An API client row as an administrator would create it; its id, name and token.</summary>
    public static async Task<(long Id, string Name, string Token)> AddApiClientAsync(
        this TaizhangApp app, string unit = "SCH", string channels = AllChannels, string namePrefix = "对接系统-")
    {
        var (token, prefix, hash) = ApiTokens.New();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        var row = new ApiClient
        {
            Name = namePrefix + Guid.NewGuid().ToString("N")[..8],
            OrgUnitId = await db.OrgUnits.Where(u => u.Code == unit).Select(u => u.Id).SingleAsync(),
            AllowedChannels = channels,
            TokenPrefix = prefix,
            TokenHash = hash,
            CreatedAt = DateTime.UtcNow,
            CreatedBy = "test",
        };
        db.ApiClients.Add(row);
        await db.SaveChangesAsync();
        return (row.Id, row.Name, token);
    }

    /// <summary>A new API client of <paramref name="unit"/> and an HTTP client that sends its token.</summary>
    public static async Task<(HttpClient Client, long Id)> IntegrationAsync(this TaizhangApp app, string unit = "SCH", string channels = AllChannels)
    {
        var (id, _, token) = await app.AddApiClientAsync(unit, channels);
        var client = app.CreateDefaultClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (client, id);
    }
}
