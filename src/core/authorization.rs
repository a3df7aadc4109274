//! `has()`: role / permission / feature / plan / reverification checks with Clerk's rules.
