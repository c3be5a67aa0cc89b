namespace Fitten;

/// <summary>How far an application metadata entry travels.</summary>
public enum MetadataEntryKind
{
    /// <summary>A header for the next hop only.</summary>
    Header,

    /// <summary>A header that Fitten carries along the whole call chain.</summary>
    ChainHeader,

    /// <summary>A routing tag (e.g. "lane"="canary"); carried along the whole call chain and used by routing.</summary>
    Tag,
}
