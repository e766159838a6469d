// Signs one DPoP proof with the dpop package: node proofs.mjs <private JWK of a P-256 key> <htm> <htu> [access token]
// and prints it. The key comes from the test, so that its proofs for later requests are made by the same key.
import { generateProof } from 'dpop';

const [jwkText, htm, htu, accessToken] = process.argv.slice(2);
// An empty access token means none: a log-in or refresh proof, without ath.
const jwk = JSON.parse(jwkText);
const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
const privateKey = await crypto.subtle.importKey('jwk', jwk, algorithm, false, ['sign']);
const { d, ...publicJwk } = jwk;
const publicKey = await crypto.subtle.importKey('jwk', publicJwk, algorithm, true, ['verify']);
process.stdout.write(await generateProof({ privateKey, publicKey }, htu, htm, undefined, accessToken || undefined));
