using Microsoft.EntityFrameworkCore;
using Taizhang.Domain;
using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Data.Configurations;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Imports;

/// <summary>
/// 导入来源: list, create, and save a source's column mapping. A source belongs to a town; whoever holds
/// <see cref="Permission.Import"/> at that town (or above it) sees it and imports through it.
/// </summary>
public static class ImportSources
{
    /// <summary>The channels a source can carry: 上级转, 信访督, 民生平台督.</summary>
    public static readonly IReadOnlyList<Channel> Channels = [Channel.HigherLevel, Channel.Petition, Channel.LivelihoodPlatform];

    public sealed record SourceView(long Id, string Name, Channel Channel, UnitRef Town, IReadOnlyDictionary<string, string> Mapping, DateTime UpdatedAt);

    public sealed record CreateRequest(string? Name, string? Channel, string? Town, Dictionary<string, string>? Mapping);

    public sealed record MappingRequest(Dictionary<string, string>? Mapping);

    public sealed class Handler(TaizhangDb db, OrgDirectory org, CurrentUser user, TimeProvider clock, Texts texts)
    {
        /// <summary>The towns where the caller may import: a post with Import at the town or above it.</summary>
        public async Task<IReadOnlyList<UnitInfo>> TownsAsync(CancellationToken ct)
        {
            var access = await user.AccessAsync(ct);
            var units = await org.GetAsync(ct);
            var posts = access.Principal.Posts.Where(p => Permissions.Allows(p.Role, Permission.Import)).ToList();
            return units.Units.Where(u => u.Kind == Domain.Organization.OrgUnitKind.Town
                    && posts.Any(p => u.Path.StartsWith(p.Unit.Path, StringComparison.Ordinal)))
                .Order(OrgDirectory.Snapshot.TreeOrder).ToList();
        }

        public async Task<IReadOnlyList<SourceView>> ListAsync(CancellationToken ct)
        {
            var towns = (await TownsAsync(ct)).Select(t => t.Id).ToArray();
            if (towns.Length == 0)
            {
                throw new ForbiddenException();
            }
            var units = await org.GetAsync(ct);
            var rows = await db.ImportSources.AsNoTracking().Where(s => towns.Contains(s.TownId))
                .OrderBy(s => s.TownId).ThenBy(s => s.Name).ToListAsync(ct);
            return rows.Select(s => View(s, units)).ToList();
        }

        /// <summary>The source, if the caller may import through it; 404 otherwise (403 for one who imports nowhere).</summary>
        public async Task<ImportSource> LoadAsync(long id, CancellationToken ct)
        {
            var towns = (await TownsAsync(ct)).Select(t => t.Id).ToArray();
            if (towns.Length == 0)
            {
                throw new ForbiddenException();
            }
            return await db.ImportSources.FirstOrDefaultAsync(s => s.Id == id && towns.Contains(s.TownId), ct)
                ?? throw new NotFoundException("import source");
        }

        public async Task<SourceView> GetAsync(long id, CancellationToken ct) => View(await LoadAsync(id, ct), await org.GetAsync(ct));

        public async Task<SourceView> CreateAsync(CreateRequest? request, CancellationToken ct)
        {
            var towns = await TownsAsync(ct);
            if (towns.Count == 0)
            {
                throw new ForbiddenException();
            }
            if (request is null)
            {
                throw new RequestValidationException(new Dictionary<string, string[]> { ["body"] = [texts["field.required"]] });
            }
            var errors = new FieldErrors();
            var name = RequestParsing.Text(errors, texts, "name", request.Name, ImportSourceConfiguration.NameMaxLength, required: true);
            var channel = RequestParsing.Enum<Channel>(errors, texts, "channel", request.Channel, required: true);
            if (channel is { } c && !Channels.Contains(c))
            {
                errors.Add("channel", texts.Format("field.one-of", string.Join(", ", Channels)));
            }
            UnitInfo? town = null;
            if (string.IsNullOrWhiteSpace(request.Town))
            {
                town = towns.Count == 1 ? towns[0] : null;
                if (town is null)
                {
                    errors.Add("town", texts["field.required"]);
                }
            }
            else if ((town = towns.FirstOrDefault(t => t.Code == request.Town.Trim())) is null)
            {
                errors.Add("town", texts.Format("field.outside-your-area", request.Town.Trim()));
            }
            var mapping = CheckMapping(errors, request.Mapping, required: false);
            if (name is not null && town is not null && await db.ImportSources.AnyAsync(s => s.TownId == town.Id && s.Name == name, ct))
            {
                errors.Add("name", texts["imports.error.name-taken"]);
            }
            errors.ThrowIfAny();
            var actor = (await user.GetAsync(ct)).Actor;
            var now = clock.GetUtcNow().UtcDateTime;
            var source = new ImportSource
            {
                TownId = town!.Id,
                Name = name!,
                Channel = channel!.Value,
                Mapping = ImportFields.Serialize(mapping),
                CreatedAt = now,
                UpdatedAt = now,
                UpdatedBy = actor.Name,
            };
            db.ImportSources.Add(source);
            await db.SaveChangesAsync(ct);
            db.Record(actor, now, "import-source.create", $"import-source:{source.Id}",
                $$"""{"channel":"{{source.Channel}}","town":"{{town.Code}}"}""", town.Id);
            await db.SaveChangesAsync(ct);
            return View(source, await org.GetAsync(ct));
        }

        /// <summary>Saves the mapping a person confirmed (or the API set): every required field, each to a header.</summary>
        public async Task<SourceView> SaveMappingAsync(long id, MappingRequest? request, CancellationToken ct)
        {
            var source = await LoadAsync(id, ct);
            var errors = new FieldErrors();
            var mapping = CheckMapping(errors, request?.Mapping, required: true);
            errors.ThrowIfAny();
            var serialized = ImportFields.Serialize(mapping);
            if (serialized != source.Mapping)
            {
                var actor = (await user.GetAsync(ct)).Actor;
                source.Mapping = serialized;
                source.UpdatedAt = clock.GetUtcNow().UtcDateTime;
                source.UpdatedBy = actor.Name;
                db.Record(actor, source.UpdatedAt, "import-source.mapping", $"import-source:{source.Id}", null, source.TownId);
                await db.SaveChangesAsync(ct);
            }
            return View(source, await org.GetAsync(ct));
        }

        private Dictionary<string, string> CheckMapping(FieldErrors errors, Dictionary<string, string>? mapping, bool required)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (field, header) in mapping ?? [])
            {
                if (!ImportFields.All.Contains(field))
                {
                    errors.Add("mapping." + field, texts.Format("field.one-of", string.Join(", ", ImportFields.All)));
                }
                else if (!string.IsNullOrWhiteSpace(header))
                {
                    if (RequestParsing.Text(errors, texts, "mapping." + field, header, 128, required: true) is { } h)
                    {
                        result[field] = h;
                    }
                }
            }
            foreach (var group in result.GroupBy(kv => kv.Value).Where(g => g.Count() > 1))
            {
                foreach (var (field, _) in group.Skip(1))
                {
                    errors.Add("mapping." + field, texts["imports.error.header-twice"]);
                }
            }
            if (required)
            {
                foreach (var field in ImportFields.Required.Where(f => !result.ContainsKey(f)))
                {
                    errors.Add("mapping." + field, texts["imports.error.field-unmapped"]);
                }
            }
            return result;
        }

        private static SourceView View(ImportSource s, OrgDirectory.Snapshot units) =>
            new(s.Id, s.Name, s.Channel, units.Ref(s.TownId)!, ImportFields.Parse(s.Mapping), s.UpdatedAt);
    }
}
