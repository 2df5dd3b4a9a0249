using System.Net;
using System.Net.Sockets;

namespace Taizhang.Web.Infrastructure;

/// <summary>
/// The client's address as the rate limits and the sign-in throttle count it: the connection's
/// address (the resident's, behind a known proxy: see <see cref="ReverseProxy"/>), an IPv4 address
/// as it is, an IPv6 address by its /64 — one home or office gets a whole /64, so counting single
/// IPv6 addresses would let one machine pose as billions of clients.
/// </summary>
public static class ClientAddress
{
    public static string Of(HttpContext http) => Key(http.Connection.RemoteIpAddress);

    public static string Key(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address))
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
