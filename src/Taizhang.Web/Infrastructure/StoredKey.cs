using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Data;

namespace Taizhang.Web.Infrastructure;

/// <summary>
/// A 256-bit secret (a keyed hash's or a signature's key): from configuration (base64) when set there,
/// else generated once into the Settings table — the first node to store it wins, every node then reads
/// that one — and kept in memory. It must be backed up with the database (the README says which).
/// </summary>
public sealed class StoredKey(IServiceScopeFactory scopes, IConfiguration configuration, string configurationKey, string settingKey)
{
    private byte[]? _key;

    private readonly SemaphoreSlim _loading = new(1, 1);

    public async ValueTask<byte[]> GetAsync(CancellationToken ct)
    {
        if (_key is { } loaded)
        {
            return loaded;
        }
        await _loading.WaitAsync(ct);
        try
        {
            return _key ??= await LoadAsync(ct);
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task<byte[]> LoadAsync(CancellationToken ct)
    {
        if (configuration[configurationKey] is { Length: > 0 } configured)
        {
            var bytes = Convert.FromBase64String(configured);
            return bytes.Length >= 32 ? bytes
                : throw new InvalidOperationException($"{configurationKey} must be at least 32 bytes (base64).");
        }
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
            if (await db.Settings.AsNoTracking().Where(s => s.Key == settingKey).Select(s => s.Value).FirstOrDefaultAsync(ct) is { } stored)
            {
                return Convert.FromBase64String(stored);
            }
            db.Settings.Add(new Setting
            {
                Key = settingKey,
                Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                UpdatedAt = DateTime.UtcNow,
                UpdatedBy = "system",
            });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException)
            {
                // Another node (or process) stored its key first: that one is the key.
            }
        }
        await using var reread = scopes.CreateAsyncScope();
        var fresh = reread.ServiceProvider.GetRequiredService<TaizhangDb>();
        var value = await fresh.Settings.AsNoTracking().Where(s => s.Key == settingKey).Select(s => s.Value).FirstOrDefaultAsync(ct);
        // Not stored (a read-only database): "try again later", never a code or a seal without its key.
        return value is null ? throw new UnavailableException() : Convert.FromBase64String(value);
    }
}
