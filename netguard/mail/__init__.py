from netguard.mail import imapclient_version

imapclient_version.install()  # before any module here imports imapclient
