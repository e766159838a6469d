using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using JwtDevices.Client;
using JwtDevices.Devices;
using JwtDevices.Dpop;
using JwtDevices.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Benchmarks;

/// <summary>
/// What DPoP (RFC 9449) adds to a request. <c>Proof</c>: one bare ES256 verification (<see cref="ECDsa.VerifyData(byte[], byte[], HashAlgorithmName)"/>),
/// the same with the key imported first (as a proof brings its key), the verification of a fresh proof as it comes
/// (its text to ASCII, its signature from base64url, then the verification by its key as the server imports and holds it), one insert into
/// the node's replay cache, and the server's whole check of a fresh ES256 proof (<see cref="DpopProofs.CheckAsync"/>:
/// the validator, then the replay-cache insert). <c>Request</c>: one request through
/// <c>HttpContext.AuthenticateAsync</c> with a bound device's token and a fresh proof, one with an unbound device's
/// token, and the baseline, what a bound request may cost at most: an unbound request, one verification of a fresh
/// proof and one replay-cache insert, run as one operation. Both devices are in the EF Core store on SQLite, every database command counted; after
/// the run it prints how many were sent after set-up (there must be none).
/// </summary>
/// <remarks>
/// Proofs are signed in set-up, <see cref="PoolSize"/> for each benchmark, and each is sent once: when a pool is used
/// up, the server's DPoP step is replaced by a new one with an empty replay cache and the pool starts again (once
/// per <see cref="PoolSize"/> calls, outside nothing but the call that wraps). The proofs' <c>iat</c> is the set-up
/// time, so the proof lifetime is one hour (the most allowed) and a run must end within it.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class DpopBenchmarks
{
    private const int PoolSize = 50_000;

    private readonly CommandCounter _commands = new();
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"jwtdevices-benchmark-{Guid.NewGuid():N}.db");
    private readonly FreshDpopProofs _dpop = new();
    private DefaultHttpContext _proofRequest = null!;
    private ServiceProvider _services = null!;
    private ECDsa _key = null!;
    private byte[] _signingInput = null!;
    private byte[] _signature = null!;
    private ECParameters _publicKey;
    private string _boundToken = null!;
    private string _boundTokenHash = null!;
    private string _boundHeader = null!;
    private string _unboundHeader = null!;
    private AsymmetricAlgorithm _heldKey = null!;
    private ProofPool _verificationProofs = null!;
    private ProofPool _validationProofs = null!;
    private ProofPool _requestProofs = null!;
    private DpopReplayCache _replayCache = null!;
    private long _replayKey;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _services = BenchmarkServices.Create(RandomNumberGenerator.GetBytes(32), services => services
            .AddConfiguredDpop(_dpop)
            .AddDbContext<BenchmarkDbContext>(options => options.UseSqlite($"Data Source={_database}").AddInterceptors(_commands))
            .AddJwtDevicesEntityFrameworkStore<BenchmarkDbContext>());
        _dpop.Renew(_services);

        _key = DpopProof.CreateKey();
        var tokens = _services.GetRequiredService<AccessTokenService>();
        var bound = BenchmarkData.NewDevice();
        bound.DpopKeyThumbprint = Base64UrlEncoder.Encode(new ECDsaSecurityKey(_key).ComputeJwkThumbprint());
        var unbound = BenchmarkData.NewDevice();
        await using (var scope = _services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<BenchmarkDbContext>().Database.EnsureCreatedAsync();
            var store = scope.ServiceProvider.GetRequiredService<IDeviceStore>();
            await store.CreateAsync(bound, CancellationToken.None);
            await store.CreateAsync(unbound, CancellationToken.None);
        }
        _boundToken = tokens.CreateToken(BenchmarkData.User, tokens.CreateCredentials(bound));
        _boundTokenHash = DpopProofValidator.AccessTokenHash(_boundToken);
        _boundHeader = "DPoP " + _boundToken;
        _unboundHeader = "Bearer " + tokens.CreateToken(BenchmarkData.User, tokens.CreateCredentials(unbound));

        _verificationProofs = new ProofPool(_key, _boundToken, PoolSize);
        _validationProofs = new ProofPool(_key, _boundToken, PoolSize);
        _requestProofs = new ProofPool(_key, _boundToken, PoolSize);
        var sample = DpopProof.Create(_key, HttpMethod.Get, BenchmarkServices.RequestUri, _boundToken, null, DateTimeOffset.UtcNow);
        _signingInput = Encoding.ASCII.GetBytes(sample[..sample.LastIndexOf('.')]);
        _signature = Base64UrlEncoder.DecodeBytes(sample[(sample.LastIndexOf('.') + 1)..]);
        _publicKey = _key.ExportParameters(includePrivateParameters: false);
        using (var publicKey = ECDsa.Create(_publicKey))
        {
            _heldKey = DpopProofKeys.Import(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(publicKey)))!;
        }
        _proofRequest = BenchmarkServices.NewRequest(_services);
        _replayCache = new DpopReplayCache(ReplayCacheCapacity);

        // Every one must succeed; the first request of each device also caches its key, with the set-up's commands.
        if (!EcdsaVerify() || !EcdsaImportAndVerify() || !VerifyProof() || !ReplayCacheInsert() || !await ValidateProof()
            || !(await UnboundRequest()).Succeeded || !(await BoundRequest()).Succeeded
            || (await BenchmarkServices.AuthenticateAsync(_services, JwtDevicesDefaults.AuthenticationScheme, _boundHeader, _requestProofs.Peek())).Succeeded)
        {
            throw new InvalidOperationException("Set-up is wrong: a check failed, or a replayed proof was taken.");
        }
        _commands.Reset();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        Console.WriteLine($"// DpopBenchmarks: {_commands.Count} database commands after set-up.");
        _key.Dispose();
        _heldKey.Dispose();
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        File.Delete(_database);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Proof")]
    public bool EcdsaVerify() => _key.VerifyData(_signingInput, _signature, HashAlgorithmName.SHA256);

    // A proof brings its own key, so a server that keeps no key between proofs imports one each time.
    [Benchmark]
    [BenchmarkCategory("Proof")]
    public bool EcdsaImportAndVerify()
    {
        using var key = ECDsa.Create(_publicKey);
        return key.VerifyData(_signingInput, _signature, HashAlgorithmName.SHA256);
    }

    // One signature verification as the server makes it: a new proof's bytes each time, by the key imported from its jwk.
    [Benchmark]
    [BenchmarkCategory("Proof")]
    public bool VerifyProof()
    {
        if (!_verificationProofs.TryNext(out var proof))
        {
            _verificationProofs.TryNext(out proof);
        }
        return DpopProofKeys.Verify(proof, SecurityAlgorithms.EcdsaSha256, _heldKey);
    }

    [Benchmark]
    [BenchmarkCategory("Proof")]
    public bool ReplayCacheInsert()
    {
        if (_replayCache.Count == ReplayCacheCapacity)
        {
            _replayCache = new DpopReplayCache(ReplayCacheCapacity);
        }
        var now = DateTimeOffset.UtcNow.UtcTicks;
        return _replayCache.TryAdd(++_replayKey, now + TimeSpan.TicksPerHour, now) == DpopReplayOutcome.Added;
    }

    [Benchmark]
    [BenchmarkCategory("Proof")]
    public async ValueTask<bool> ValidateProof()
    {
        if (!_validationProofs.TryNext(out var proof))
        {
            _dpop.Renew(_services);
            _validationProofs.TryNext(out proof);
        }
        return (await _dpop.Current.CheckAsync(_proofRequest, proof, _boundTokenHash)).Failure == DpopFailure.None;
    }

    [Benchmark]
    [BenchmarkCategory("Request")]
    public Task<AuthenticateResult> UnboundRequest() =>
        BenchmarkServices.AuthenticateAsync(_services, JwtDevicesDefaults.AuthenticationScheme, _unboundHeader);

    // What a bound request may cost at most, as one operation: an unbound request, one verification of a proof, one insert.
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Request")]
    public async Task<bool> UnboundRequestVerifyAndInsert() =>
        (await UnboundRequest()).Succeeded & VerifyProof() & ReplayCacheInsert();

    [Benchmark]
    [BenchmarkCategory("Request")]
    public Task<AuthenticateResult> BoundRequest()
    {
        if (!_requestProofs.TryNext(out var proof))
        {
            _dpop.Renew(_services);
            _requestProofs.TryNext(out proof);
        }
        return BenchmarkServices.AuthenticateAsync(_services, JwtDevicesDefaults.AuthenticationScheme, _boundHeader, proof);
    }

    // As many entries as the default replay cache holds.
    private const int ReplayCacheCapacity = 1_000_000;

    /// <summary>Fresh proofs for GET <see cref="BenchmarkServices.RequestUri"/> with one token, each handed out once per round.</summary>
    private sealed class ProofPool(ECDsa key, string accessToken, int size)
    {
        private readonly string[] _proofs = [.. Enumerable.Range(0, size).Select(_ =>
            DpopProof.Create(key, HttpMethod.Get, BenchmarkServices.RequestUri, accessToken, null, DateTimeOffset.UtcNow))];
        private int _next;

        // The proof last handed out, to show that a replay is refused.
        public string Peek() => _proofs[_next - 1];

        // False once the pool is used up; the next round starts over, with a new replay cache.
        public bool TryNext(out string proof)
        {
            if (_next == _proofs.Length)
            {
                _next = 0;
                proof = null!;
                return false;
            }
            proof = _proofs[_next++];
            return true;
        }
    }
}
