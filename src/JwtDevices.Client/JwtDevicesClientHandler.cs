namespace JwtDevices.Client;

/// <summary>
/// Puts its client's JWT (and, for a bound device, a DPoP proof) on each request and sends it once more after a 401
/// with a renewed one. It holds no token of its own: a pooled handler (as <c>IHttpClientFactory</c> keeps them)
/// always asks the client it was made for, so one user's requests never carry another's token. Requests to origins
/// other than the server's (and <see cref="JwtDevicesClientOptions.AllowedOrigins"/>) are refused before they leave.
/// </summary>
internal sealed class JwtDevicesClientHandler(JwtDevicesClient client) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!client.MayAuthorize(request.RequestUri))
        {
            throw client.OriginRefused(request.RequestUri);
        }
        return client.SendAuthorizedAsync(() => request, base.SendAsync, cancellationToken);
    }
}
