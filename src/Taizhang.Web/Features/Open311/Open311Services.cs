using Taizhang.Domain.Organization;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Open311;

/// <summary>
/// Discovery, the service list and service definitions. Taizhang's categories (事项类别) are the
/// services, their codes the service codes, their names as they are (Chinese). Every service has one
/// optional attribute, <c>village</c>: the village or community the matter is in (a list of the towns'
/// villages and communities, code → name), so that a client can route it without knowing the tree.
/// </summary>
public static class Open311Services
{
    public const string VillageAttribute = "village";

    /// <summary>Changes when what discovery, the services or their definitions promise changes (not their data).</summary>
    public const string Changeset = "2026-12-06 00:00";

    public sealed class Handler(OrgDirectory org, Texts texts, Open311Options options)
    {
        public GeoObject Discovery(HttpRequest request)
        {
            var url = $"{request.Scheme}://{request.Host}{request.PathBase}{Open311Endpoints.Base}";
            return new GeoObject()
                .Add("changeset", Changeset)
                .Add("contact", string.IsNullOrWhiteSpace(options.Contact) ? texts["open311.discovery.contact"] : options.Contact)
                .Add("key_service", string.IsNullOrWhiteSpace(options.KeyService) ? texts["open311.discovery.key-service"] : options.KeyService)
                .Add("endpoints", new GeoList("endpoint",
                [
                    new GeoObject()
                        .Add("specification", GeoReport.Specification)
                        .Add("url", url)
                        .Add("changeset", Changeset)
                        .Add("type", "production")
                        .Add("formats", new GeoList("format", [GeoReport.XmlType, GeoReport.JsonType])),
                ]));
        }

        public async Task<GeoList> ListAsync(CancellationToken ct)
        {
            var units = await org.GetAsync(ct);
            return new GeoList("service", units.Categories.OrderBy(c => c.Code, StringComparer.Ordinal).Select(c => (object?)Service(c)).ToList());
        }

        private GeoObject Service(CategoryInfo c) => new GeoObject()
            .Add("service_code", c.Code)
            .Add("service_name", c.Name)
            .Add("description", texts.Format(c.IsDispute ? "open311.service.description-dispute" : "open311.service.description", c.Name))
            .Add("metadata", true)
            .Add("type", "realtime")
            .Add("keywords", c.IsDispute ? c.Name + "," + texts["open311.service.group-dispute"] : c.Name)
            .Add("group", texts[c.IsDispute ? "open311.service.group-dispute" : "open311.service.group"]);

        public async Task<GeoObject> DefinitionAsync(string? serviceCode, CancellationToken ct)
        {
            var units = await org.GetAsync(ct);
            if (string.IsNullOrWhiteSpace(serviceCode) || !units.CategoriesByCode.TryGetValue(serviceCode.Trim(), out var category))
            {
                throw new GeoReportException(StatusCodes.Status404NotFound, texts["open311.error.service-code-unknown"]);
            }
            var villages = Villages(units);
            return new GeoObject()
                .Add("service_code", category.Code)
                .Add("attributes", new GeoList("attribute",
                [
                    new GeoObject()
                        .Add("variable", true)
                        .Add("code", VillageAttribute)
                        .Add("datatype", "singlevaluelist")
                        .Add("required", false)
                        .Add("datatype_description", texts["open311.attribute.village-datatype"])
                        .Add("order", 1)
                        .Add("description", texts["open311.attribute.village"])
                        .Add("values", new GeoList("value", villages.Select(v => (object?)new GeoObject().Add("key", v.Code).Add("name", v.Name)).ToList())),
                ]));
        }

        /// <summary>The villages and communities of every town, in tree order; the town's name before each when there are several towns.</summary>
        public static IReadOnlyList<(string Code, string Name)> Villages(OrgDirectory.Snapshot units)
        {
            var severalTowns = units.Units.Count(u => u.Kind == OrgUnitKind.Town) > 1;
            return units.Units
                .Where(u => u.Kind is OrgUnitKind.Village or OrgUnitKind.Community && u.TownId is not null)
                .Order(OrgDirectory.Snapshot.TreeOrder)
                .Select(u => (u.Code, severalTowns && units.UnitsById.TryGetValue(u.TownId!.Value, out var town) ? town.Name + " " + u.Name : u.Name))
                .ToList();
        }
    }

    public static Task<IResult> DiscoveryEndpoint(string format, HttpContext http, Handler handler) =>
        GeoReport.RunAsync(http, format, f => Task.FromResult(GeoReport.Write(f, "discovery", handler.Discovery(http.Request))));

    public static Task<IResult> ListEndpoint(string format, HttpContext http, Handler handler, CancellationToken ct) =>
        GeoReport.RunAsync(http, format, async f => GeoReport.Write(f, "services", await handler.ListAsync(ct)));

    public static Task<IResult> DefinitionEndpoint([Microsoft.AspNetCore.Mvc.FromRoute(Name = "service_code")] string serviceCode, string format, HttpContext http, Handler handler, CancellationToken ct) =>
        GeoReport.RunAsync(http, format, async f => GeoReport.Write(f, "service_definition", await handler.DefinitionAsync(serviceCode, ct)));
}
