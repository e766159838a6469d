namespace JwtDevices.Client;

/// <summary>
/// Puts its client's JWT on each request and sends it once more after a 401 with a renewed one. It holds no
/// token of its own: a pooled handler (as <c>IHttpClientFactory</c> keeps them) always asks the client it was
/// made for, so one user's requests never carry another's token.
/// </summary>
internal sealed class JwtDevicesClientHandler(JwtDevicesClient client) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        client.SendAuthorizedAsync(() => request, base.SendAsync, cancellationToken);
}
