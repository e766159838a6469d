using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace JwtDevices;

/// <summary>
/// The context of <see cref="JwtDevicesEvents.Forbidden"/>, as JwtBearer's: the caller is authenticated but
/// authorization refused the request. The status is already 403; write a body or headers here.
/// </summary>
public class ForbiddenContext(HttpContext context, AuthenticationScheme scheme, JwtDevicesOptions options)
    : ResultContext<JwtDevicesOptions>(context, scheme, options);
