using System.Numerics;

namespace JwtDevices.Tokens;

/// <summary>
/// Lets an entry into a cache only the second time it is seen. At a million devices nearly every token
/// and key is seen once within a cache's lifetime: keeping each would cost an insert and, worse, objects
/// that outlive the youngest garbage collection only to die in an older, dearer one, for no hit ever. A
/// client's token in use is seen again within seconds and gets in then, one validation later. Remembers
/// hashes only, in a fixed array: two keys sharing a slot at worst let one in a request early.
/// </summary>
internal sealed class SecondSight
{
    private readonly int[] _hashes;

    /// <param name="slots">How many hashes are remembered; rounded up to a power of two.</param>
    public SecondSight(int slots) => _hashes = new int[(int)BitOperations.RoundUpToPowerOf2((uint)slots)];

    /// <summary>Whether the key was seen before (its slot holds its hash); if not, it is now.</summary>
    /// <param name="key">What identifies the entry; its hash is randomized per process, so no one can aim at a slot.</param>
    public bool SeenBefore(ReadOnlySpan<char> key)
    {
        var hash = string.GetHashCode(key);
        ref var slot = ref _hashes[hash & (_hashes.Length - 1)];
        if (Volatile.Read(ref slot) == hash)
        {
            return true;
        }
        Volatile.Write(ref slot, hash);
        return false;
    }
}
