/// An error that says which problem it is answered with. Every service's error type conforms next to its declaration,
/// so the HTTP layer maps errors it has never heard of.
///
/// The problem's `code` names the case; a client in another process can read a ``ProblemDocument`` back into the same
/// typed error by that code.
public protocol ProblemConvertible: Error {
    /// The problem to answer with, or nil when this error is a bug (logged, and answered `500` without internals).
    var problem: Problem? { get }
}
