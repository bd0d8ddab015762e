/// An error from a module ServerKit does not know (storage, say) that can say which problem it is.
///
/// ``Problem/mapping(_:)`` asks it; `nil` leaves the error unmapped, so it is logged and answered `500` like any bug.
public protocol ProblemConvertible: Error {
    /// The problem to answer with, or nil when this error is a bug.
    var problem: Problem? { get }
}
