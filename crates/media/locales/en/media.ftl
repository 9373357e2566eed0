# Uploads: why a file was not accepted.
media-error-empty = The file is empty.
media-error-too-large = The file is too large. Make it smaller or choose another one.
media-error-total-too-large = The files are too large together. Send fewer or smaller files.
media-error-too-many-files = Too many files in one form.
media-error-type = This type of file is not accepted. You can send JPEG, PNG, WebP or PDF.
media-error-not-image = Choose a JPEG, PNG or WebP image.
media-error-not-document = Choose a PDF document.
media-error-too-many-pixels = The image has too many pixels. Make it smaller.
media-error-unreadable = The file could not be read. It may be damaged.
media-error-alt-too-long = The image description is too long.
media-error-field-too-long = The text is too long.
media-error-request-too-large = The form is too large. Send smaller files.
media-error-upload = The file did not arrive in full. Please try again.
