"""The guard inside Thunderbird: the native-messaging host, the add-on's package, the install."""
