namespace Taizhang.Domain.Cases;

public sealed record GeoLocation(double? Lat, double? Lng, string? Address);
