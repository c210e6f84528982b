import Glibc

/// One inotify event as the kernel reports it.
public struct InotifyEvent: Sendable {
    public var watch: Int32
    public var mask: InotifyEvent.Kind
    /// The entry name inside the watched directory; empty for events about the directory itself.
    public var name: String

    public func has(_ kind: Kind) -> Bool { !mask.isDisjoint(with: kind) }

    /// What happened, or what to watch for (the kernel's `IN_*` bits).
    public struct Kind: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        public static let closeWrite = Kind(rawValue: UInt32(IN_CLOSE_WRITE))
        public static let movedTo = Kind(rawValue: UInt32(IN_MOVED_TO))
        public static let create = Kind(rawValue: UInt32(IN_CREATE))
        public static let attributes = Kind(rawValue: UInt32(IN_ATTRIB))
        public static let deleteSelf = Kind(rawValue: UInt32(IN_DELETE_SELF))
        public static let moveSelf = Kind(rawValue: UInt32(IN_MOVE_SELF))
        /// Watch only if the path is a directory.
        public static let onlyDirectory = Kind(rawValue: UInt32(IN_ONLYDIR))
        /// The kernel's event queue overflowed: events were lost.
        public static let queueOverflow = Kind(rawValue: UInt32(IN_Q_OVERFLOW))
        /// The watch was removed (explicitly, or because its directory went away).
        public static let ignored = Kind(rawValue: UInt32(IN_IGNORED))
        /// The entry the event is about is a directory.
        public static let isDirectory = Kind(rawValue: UInt32(IN_ISDIR))
    }
}
